# One image recipe for every Tributary service: docker build --build-arg MODULE=writer-service .
# Build the jars first (./mvnw -DskipTests package); the image only copies the executable jar.
FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 tributary && mkdir -p /app /data && chown tributary /data
COPY ${MODULE}/target/${MODULE}-*-exec.jar /app/app.jar
USER tributary
WORKDIR /data
# Heap from the container's memory limit, not the host's.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/app.jar"]
