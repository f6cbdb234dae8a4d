# The pos-api image that docker-compose.production.yml runs.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin pos-api

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data pos \
    && mkdir -p /data && chown pos /data
COPY --from=build /src/target/release/pos-api /usr/local/bin/pos-api
USER pos
ENV DATA_DIR=/data BIND_ADDR=0.0.0.0:5000
EXPOSE 5000
ENTRYPOINT ["pos-api"]
CMD ["serve"]
