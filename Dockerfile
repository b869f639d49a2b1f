# syntax=docker/dockerfile:1

# Stage 1: build the executable jar (api-gateway/target/mcp-platform.jar).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder of docker compose).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

# Stage 2: the runtime image. Node.js/npm and Python run the stdio MCP servers deployments start (npx, node,
# python3 from the default allow-list); uvx is Python's uv, installed by operators who allow it.
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl nodejs npm python3 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 mcp \
 && useradd --system --uid 10001 --gid mcp --no-create-home --shell /usr/sbin/nologin mcp
WORKDIR /app
COPY --from=build /build/api-gateway/target/mcp-platform.jar /app/mcp-platform.jar
RUN mkdir -p /data && chown mcp:mcp /data
VOLUME /data
ENV MCP_DATA_DIR=/data \
    PORT=8080
EXPOSE 8080
USER mcp
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/mcp-platform.jar"]
