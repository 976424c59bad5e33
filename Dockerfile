# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the locked dependencies, and the native relay (a C addon:
# the full image has a C compiler and Node's headers; the result needs only libc at run time).
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-native.mjs ./scripts/
RUN npm run build && test -f dist/native/tripwire-relay.node && npm prune --omit=dev

# Run stage: production dependencies and compiled JS only, as a non-root user.
# Nothing is fetched at run time: the parser's WASM ships inside the libpg-query package.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    TRIPWIRE_LISTEN=0.0.0.0:6432 \
    TRIPWIRE_AUDIT_LOG=/home/node/tripwire-audit.jsonl
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY policies ./policies
COPY docs ./docs
USER node
EXPOSE 6432
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["proxy"]
