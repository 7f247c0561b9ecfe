# syntax=docker/dockerfile:1.7
# listings: REST :8086, gRPC :50053. Node 24 runs the TypeScript sources directly (type stripping),
# so the image carries sources and production dependencies only.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    SVETULISTINGS_DATA_DIR=/data \
    SVETULISTINGS_LOG_FORMAT=json
WORKDIR /app
# pg_dump/pg_restore/psql for `listings backup`: it needs client tools of the server's major version or
# newer, and production runs PostgreSQL 15 (bookworm's default client).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system listings && useradd --system --gid listings --home /app listings \
    && mkdir -p /data && chown listings:listings /data
COPY --from=deps --chown=listings:listings /app/node_modules ./node_modules
COPY --chown=listings:listings package.json ./
COPY --chown=listings:listings src ./src
COPY --chown=listings:listings ports ./ports
COPY --chown=listings:listings adapters ./adapters
COPY --chown=listings:listings migrations ./migrations
COPY --chown=listings:listings proto ./proto
USER listings
VOLUME ["/data"]
EXPOSE 8086 50053
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SVETULISTINGS_HTTP_PORT||8086)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "adapters/cli/main.ts"]
CMD ["serve"]
