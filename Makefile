# AIBrix for .NET — one entry point for newcomers and CI.
#   make build   publish the apps to out/<name>/<name>
#   make test    build and run every test project (installs what the tests need)
#   make run     start a simulated fleet and the gateway (see README)
#   make bench   run the benchmarks (see docs/benchmarks.md)
#   make images  build the container images (REGISTRY=, TAG=, PUSH=1, PLATFORMS=, DRY_RUN=1; see scripts/images.sh)
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
OUT := out
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

APPS := aibrix-gateway:extproc/AIBrix.Gateway \
        aibrix-controllers:controllers/AIBrix.Controllers \
        aibrix-enginesim:tests/AIBrix.EngineSim \
        aibrix-runtime:runtime/AIBrix.Runtime \
        aibrix-bench:tests/AIBrix.Bench

.PHONY: all build test run bench clean deps images

all: build

build:
	@set -e; for app in $(APPS); do \
	  name=$${app%%:*}; dir=$${app#*:}; \
	  echo "publish $$name -> $(OUT)/$$name/$$name"; \
	  $(DOTNET) publish $$dir -c $(CONFIG) -o $(OUT)/$$name --nologo -v q -p:UseAppHost=true --self-contained false; \
	done

deps:
	@bash scripts/test-deps.sh

test: deps
	@CONFIG=$(CONFIG) bash scripts/test.sh

run:
	@bash scripts/run.sh

bench: build
	@bash scripts/bench.sh

images:
	@bash scripts/images.sh

clean:
	rm -rf $(OUT)
	$(DOTNET) clean AIBrix.sln --nologo -v q
