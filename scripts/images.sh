#!/usr/bin/env bash
# Builds the container images (make images). One Dockerfile at the repository root builds every app: PROJECT names
# the project to publish and --target the app's stage; the build context is the repository root (.dockerignore keeps
# it to sources).
#   REGISTRY   image registry and path      [ghcr.io/aibrix-dotnet, the chart's image.registry]
#   TAG        image tag                    [the chart's appVersion: charts/aibrix/Chart.yaml]
#   DOCKER     docker-compatible CLI        [docker; podman works too]
#   PLATFORMS  e.g. linux/amd64,linux/arm64 (docker buildx; multi-platform images are pushed as they are built)
#   PUSH=1     push after building
#   DRY_RUN=1  print the commands instead of running them
set -euo pipefail
cd "$(dirname "$0")/.."

# name:project directory, in the order they are built. The chart's image repositories are these names, and each is
# the Dockerfile stage (and the executable) of its app.
IMAGES=(
  aibrix-gateway:extproc/AIBrix.Gateway
  aibrix-controllers:controllers/AIBrix.Controllers
  aibrix-enginesim:tests/AIBrix.EngineSim
  aibrix-runtime:runtime/AIBrix.Runtime
)

REGISTRY="${REGISTRY:-ghcr.io/aibrix-dotnet}"
REGISTRY="${REGISTRY%/}"
TAG="${TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' charts/aibrix/Chart.yaml)}"
DOCKER="${DOCKER:-docker}"
PLATFORMS="${PLATFORMS:-}"
PUSH="${PUSH:-}"
DRY_RUN="${DRY_RUN:-}"

if [[ -z "$TAG" ]]; then
  echo "make images: no TAG given and no appVersion in charts/aibrix/Chart.yaml" >&2
  exit 2
fi

commands=()
for image in "${IMAGES[@]}"; do
  name="${image%%:*}"; dir="${image#*:}"
  ref="$REGISTRY/$name:$TAG"
  if [[ -n "$PLATFORMS" ]]; then
    commands+=("$DOCKER buildx build --platform $PLATFORMS -f Dockerfile --build-arg PROJECT=$dir --target $name -t $ref --push .")
  else
    commands+=("$DOCKER build -f Dockerfile --build-arg PROJECT=$dir --target $name -t $ref .")
    if [[ -n "$PUSH" ]]; then
      commands+=("$DOCKER push $ref")
    fi
  fi
done

if [[ -n "$DRY_RUN" ]]; then
  printf '%s\n' "${commands[@]}"
  exit 0
fi

if ! command -v "$DOCKER" > /dev/null 2>&1; then
  echo "make images: '$DOCKER' not found: no container engine on this machine." >&2
  echo "  Install Docker (or set DOCKER=podman), or run 'make images DRY_RUN=1' to print the build commands." >&2
  exit 2
fi
if ! "$DOCKER" info > /dev/null 2>&1; then
  echo "make images: '$DOCKER info' failed: the container engine is not running or not reachable by this user." >&2
  exit 2
fi

for command in "${commands[@]}"; do
  echo "+ $command"
  $command
done
