# syntax=docker/dockerfile:1
# Every AIBrix image, from the repository root: one build stage publishes the project named by PROJECT, one base
# stage holds what every image shares (non-root, read-only root file system friendly, a health check), and each app
# adds its stage, the --target, with its ports, health route and command. make images (scripts/images.sh) runs:
#   docker build -f Dockerfile --build-arg PROJECT=extproc/AIBrix.Gateway --target aibrix-gateway -t ghcr.io/aibrix-dotnet/aibrix-gateway:0.1.0 .
# Multi-arch without emulation: docker buildx build --platform linux/amd64,linux/arm64 ... (the SDK stage runs on the
# build machine and publishes for TARGETARCH).
ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
# The app's project folder (one .csproj in it), e.g. extproc/AIBrix.Gateway.
ARG PROJECT
WORKDIR /src
COPY . .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    test -n "$PROJECT" || { echo "build with --build-arg PROJECT=<the app's project folder>" >&2; exit 1; } \
    && dotnet publish "$PROJECT" -c Release -a "$TARGETARCH" --no-self-contained -p:UseAppHost=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS app
WORKDIR /app
# Owned by root and read-only to the app: the process can't change its own code.
COPY --from=build --chown=root:root /app .
# Read-only root file system friendly: nothing writes outside /tmp (mount an emptyDir there). HOME points at /tmp so
# no library needs a writable home; Kestrel's default port is cleared because the apps bind their own ports.
ENV HOME=/tmp \
    TMPDIR=/tmp \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_NOLOGO=1
# The image's non-root user (app, uid 1654), by number so Kubernetes' runAsNonRoot can verify it.
USER $APP_UID
# Docker's health check (Kubernetes uses the chart's probes instead): bash's /dev/tcp, as the image has no curl. Healthy
# when any of HEALTH_PORTS answers 200 on HEALTH_PATH; each app's stage sets both.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["bash", "-c", "for p in $HEALTH_PORTS; do (exec 3<>/dev/tcp/127.0.0.1/$p && printf 'GET %s HTTP/1.0\\r\\n\\r\\n' \"$HEALTH_PATH\" >&3 && head -n1 <&3 | grep -q ' 200 ') 2>/dev/null && exit 0; done; exit 1"]

FROM app AS aibrix-gateway
LABEL org.opencontainers.image.title="aibrix-gateway" \
      org.opencontainers.image.description="the LLM gateway: Envoy ext_proc/ext_authz (extproc) or a reverse proxy (standalone)"
EXPOSE 50052 8080 8888
ENV HEALTH_PORTS="8080 8888" \
    HEALTH_PATH=/healthz
ENTRYPOINT ["/app/aibrix-gateway"]
CMD ["--help"]

FROM app AS aibrix-controllers
LABEL org.opencontainers.image.title="aibrix-controllers" \
      org.opencontainers.image.description="the controller manager: ModelAdapter, PodAutoscaler, leader election"
EXPOSE 8081
ENV HEALTH_PORTS="8081" \
    HEALTH_PATH=/healthz
ENTRYPOINT ["/app/aibrix-controllers"]
CMD ["--help"]

FROM app AS aibrix-enginesim
LABEL org.opencontainers.image.title="aibrix-enginesim" \
      org.opencontainers.image.description="a vLLM-compatible engine simulator (no GPU): OpenAI API, /metrics, LoRA"
EXPOSE 8000
ENV HEALTH_PORTS="8000" \
    HEALTH_PATH=/health
ENTRYPOINT ["/app/aibrix-enginesim"]
CMD ["--host", "0.0.0.0", "--port", "8000"]

# Downloads go to /tmp/aibrix/models by default: mount an emptyDir or the node's model volume there, or set --models-dir.
FROM app AS aibrix-runtime
LABEL org.opencontainers.image.title="aibrix-runtime" \
      org.opencontainers.image.description="the AI runtime sidecar beside one engine: adapter loads, artifact downloads, aibrix:* metrics"
EXPOSE 8080
ENV HEALTH_PORTS="8080" \
    HEALTH_PATH=/healthz
ENTRYPOINT ["/app/aibrix-runtime"]
CMD ["--port", "8080"]
