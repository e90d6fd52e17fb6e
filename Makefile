# Thin wrapper around CMake. `make run` and `make test` install missing Debian packages first.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
OUT   ?= out

.PHONY: all deps configure build fetch run test bench fuzz clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/sitmap run --out $(OUT)

fetch:
	@./scripts/fetch-cities500.sh $(BUILD)/third_party

test: build fetch
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build fetch
	@./scripts/run-benchmarks.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(OUT)
