# syntax=docker/dockerfile:1
# Build stage: install, type-check, bundle, and check that the shipped data converts (a build with
# data that does not convert fails here, not at the first start).
FROM node:20-bookworm-slim AS build
# better-sqlite3 (the state database) is a native addon: its install builds it when no prebuilt
# binary can be fetched.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
COPY vocab ./vocab
COPY shapes ./shapes
COPY data ./data
COPY docs ./docs
RUN npx tsc --noEmit && npm run build
# The base URI is part of the build; set it at build time for production (docker build --build-arg BASE_URI=https://data.example.tj/).
ARG BASE_URI=http://localhost:3000/
ENV BASE_URI=${BASE_URI}
RUN npm run validate && npm prune --omit=dev

# Runtime stage: only what runs, as a non-root user who can write its state directory and nothing
# else (the code stays root's: a compromised server cannot rewrite itself). The durable state
# (accounts, uploads, releases, audit) lives in a volume: a new container on the same volume serves
# the same releases. The first start on an empty volume builds release 1 from data/ (a few seconds).
# Accounts are made in the running container:
#   docker exec CONTAINER node dist/server/users.js add NAME --role administrator
# No engine runs where the tests run: npm run verify-dockerfile (tests/dockerfile.test.ts) runs these
# steps without one, starts the runtime as an unprivileged user and runs the HEALTHCHECK below.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 STATE_DIR=/var/lib/lg-open-data
ARG BASE_URI=http://localhost:3000/
ENV BASE_URI=${BASE_URI}
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /var/lib/lg-open-data && chown node:node /var/lib/lg-open-data
VOLUME /var/lib/lg-open-data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server/main.js"]
