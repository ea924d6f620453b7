"""Applicants' uploads follow the product's one set of upload rules (``channelhub.uploads``)."""

from channelhub.uploads import (  # noqa: F401
    DEFAULT_MAX_DOCUMENT_BYTES,
    SIGNATURES,
    max_document_bytes,
    sniff_content_type,
    validate_document_file,
)
