FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY channelhub channelhub
COPY recruitment recruitment
COPY training training
COPY cooperation cooperation
COPY evaluation evaluation
RUN pip install --no-cache-dir .
COPY . .
# Static files are collected at build time and served by WhiteNoise.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only-x ALLOWED_HOSTS=build \
    DJANGO_SETTINGS_MODULE=channelhub.settings.production python manage.py collectstatic --noinput
RUN useradd --create-home channelhub && mkdir -p /data && chown channelhub /data
USER channelhub
EXPOSE 8000
CMD ["gunicorn", "channelhub.wsgi:application", "--bind", "0.0.0.0:8000"]
