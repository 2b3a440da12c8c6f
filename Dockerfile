# Passage in a container: `docker build -t passage .`, then see README, "Operating it".
FROM node:20-bookworm-slim

# hnswlib-node compiles at install (better-sqlite3 too when no prebuilt binary fits).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# tsx is a runtime dependency, so the test and lint tools can stay out of the image.
RUN npm ci --omit=dev && npm cache clean --force
COPY . .

# The index, the answer log and the schedules live in /data: mount a volume there to keep them.
# The articles stay in the image unless a volume is mounted on /app/corpus (needed for /corpus add).
ENV PASSAGE_DATA_DIR=/data
RUN mkdir /data && chown -R node:node /data /app/corpus
VOLUME /data
USER node

# node is PID 1 itself (no npm, no shell): it gets `docker stop`'s SIGTERM and exits 0 after the drain.
CMD ["node", "--import", "tsx", "src/main.ts"]
