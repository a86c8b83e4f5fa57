# One image for web, worker and cron; front-end assets are built from npm in a first stage.
FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json* ./
COPY scripts ./scripts
RUN npm install --no-audit --no-fund && mkdir -p app/web/static/vendor && npm run build

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml ./
COPY app ./app
COPY forms ./forms
COPY workers ./workers
COPY workflows ./workflows
COPY migrations ./migrations
RUN pip install --no-cache-dir . && pybabel compile -d app/translations -f --statistics
COPY --from=assets /src/app/web/static/vendor ./app/web/static/vendor
ENV FLASK_APP=app
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "app:create_app()"]
