# syntax=docker/dockerfile:1
# Build stage: install, type-check and convert the shipped data, so the image starts serving at once.
FROM node:20-bookworm-slim AS build
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
RUN npm run convert -- --out build && npm prune --omit=dev

# Runtime stage: only what runs, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
ARG BASE_URI=http://localhost:3000/
ENV BASE_URI=${BASE_URI}
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server/main.js"]
