"""Indexes for a tenant with 20,000 applications (issue #9; docs/performance.md). PostgreSQL only.

- A GiST trigram index on ``normalised_name``: the public submit's duplicate check walks the
  nearest names by trigram distance (``recruitment.duplicates``) instead of reading every
  application of the tenant.
- ``(tenant, created_at DESC, id DESC)``: the application list's order (admin and API), so
  the first page is read from the index, not sorted out of the whole tenant.
- ``(tenant, submitted_at)``: the API's ``?ordering=submitted_at`` and the admin's filter on it.
- ``(tenant, campaign, state)`` and ``(tenant, reviewer)``: the campaign list's and the
  reviewer workload's GROUP BYs read one tenant's rows from an index.
- Search (``selectors.application_search``, the API's ``?q=``): a trigram GIN index over the
  expression ``recruitment_search_text(legal_name, credit_code, contact_name, contact_email)``,
  an IMMUTABLE PL/pgSQL function building the same line as the partners' ``search_text`` column
  (``channelhub.partners.search``): the values in lower case, then every two-character piece
  of their Chinese runs as a word of its own, so ``华信`` is found as ``LIKE '% 华信 %'`` from
  the index. An expression index needs no column on the model (nothing to keep in step).

The model state does not change (these are not ``Meta.indexes``: SQLite has no ``gist``, and
the tests' SQLite database needs none of them), so ``makemigrations`` stays quiet; on SQLite
every operation is a no-op.
"""

from django.db import migrations

# The Chinese runs as in channelhub.partners.search.is_cjk (U+3400–U+9FFF, U+F900–U+FAFF).
SEARCH_FUNCTION = r"""
CREATE OR REPLACE FUNCTION recruitment_search_text(
    legal_name text, credit_code text, contact_name text, contact_email text
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    line text := lower(coalesce(legal_name, '') || ' ' || coalesce(credit_code, '') || ' '
                       || coalesce(contact_name, '') || ' ' || coalesce(contact_email, ''));
    -- The Chinese runs alone, each between spaces: " 上海华信电子 王伟 ".
    runs text := ' ' || regexp_replace(line, '[^\u3400-\u9fff\uf900-\ufaff]+', ' ', 'g') || ' ';
BEGIN
    -- Every two-character piece as a word: the pieces from each run's first character
    -- ("上海 华信 电子"), then from its second ("海华 信电"). Rechecked for each row the index
    -- finds, so no loop: four regular expressions.
    RETURN ' ' || line || ' '
        || regexp_replace(runs, '([\u3400-\u9fff\uf900-\ufaff]{2})', '\1 ', 'g') || ' '
        || regexp_replace(regexp_replace(runs, ' [\u3400-\u9fff\uf900-\ufaff]', ' ', 'g'),
                          '([\u3400-\u9fff\uf900-\ufaff]{2})', '\1 ', 'g') || ' ';
END
$$
"""

INDEXES = {
    "recruitment_application_search_trgm":
        'ON "recruitment_application" USING gin ('
        'recruitment_search_text("legal_name", "credit_code", "contact_name", "contact_email") gin_trgm_ops)',
    "recruitment_application_normalised_name_gist":
        'ON "recruitment_application" USING gist ("normalised_name" gist_trgm_ops)',
    "recruitment_application_tenant_created":
        'ON "recruitment_application" ("tenant_id", "created_at" DESC, "id" DESC)',
    "recruitment_application_tenant_submitted":
        'ON "recruitment_application" ("tenant_id", "submitted_at")',
    "recruitment_application_tenant_campaign_state":
        'ON "recruitment_application" ("tenant_id", "campaign_id", "state")',
    "recruitment_reviewerassignment_tenant_reviewer":
        'ON "recruitment_reviewerassignment" ("tenant_id", "reviewer_id")',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(SEARCH_FUNCTION)
    for name, definition in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" {definition}')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS recruitment_search_text(text, text, text, text)")


class Migration(migrations.Migration):

    dependencies = [
        ("recruitment", "0006_tracking_token_hashed"),
        # pg_trgm is created there first (this migration creates it too if missing).
        ("partners", "0004_scale_indexes_search_rollups"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
