# Parley container image.
#
# The jar is built on the host first, then copied in (no multi-stage build):
#   ./mvnw -DskipTests package
#   docker build -t parley .
#   docker run --rm -p 8080:8080 -p 8888:8888 -v parley-data:/app/data parley
#
# Health: the container's HEALTHCHECK asks readiness (compose starts the other nodes once the first, which migrates
# the schema, is ready). Orchestrators probe Spring Boot's Actuator directly:
#   GET /actuator/health/liveness   -> restart the container when DOWN
#   GET /actuator/health/readiness  -> stop routing traffic when OUT_OF_SERVICE
#                                      (e.g. during graceful shutdown)
FROM eclipse-temurin:25-jre

# curl for the health check; an unprivileged system user, which only needs to write to /app/data.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system parley \
 && useradd --system --gid parley --home-dir /app --no-create-home --shell /usr/sbin/nologin parley \
 && mkdir -p /app/data \
 && chown parley:parley /app/data

WORKDIR /app

# Exactly one jar must match (spring-boot:repackage leaves *.jar.original, which does not).
COPY target/parley-*.jar /app/parley.jar

ENV PARLEY_DATA_DIR=/app/data
# Compact object headers (JDK 25), the Parallel collector, and connection state promoted after one young
# collection instead of copied between survivor spaces in every pause: chosen by measurement, see docs/benchmarks.md
ENV JAVA_TOOL_OPTIONS="-XX:+UseCompactObjectHeaders -XX:+UseParallelGC -XX:MaxTenuringThreshold=1 -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# Declared after the chown so a fresh named volume inherits parley:parley ownership.
VOLUME ["/app/data"]

USER parley

EXPOSE 8080 8888

HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1

# Exec form: java is PID 1 and receives SIGTERM directly, so graceful shutdown runs.
ENTRYPOINT ["java", "-jar", "/app/parley.jar"]
