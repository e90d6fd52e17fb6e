# Thin wrapper around CMake. `make run` and `make test` install missing Debian packages first.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
OUT   ?= out

.PHONY: all deps configure build fetch node-deps run test bench fuzz clean

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

# npm packages of the tile viewer and its browser test (npm ci where node_modules is out of date)
node-deps:
	@./scripts/install-node-deps.sh

test: build fetch node-deps
	@./scripts/install-deps.sh test
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build fetch
	@./scripts/run-benchmarks.sh $(BUILD)

# libFuzzer on the extractor: a separate clang + AddressSanitizer build in build-fuzz (linked
# against $(BUILD)'s geo library), run for
# FUZZ_SECONDS on a copy of tests/fuzz/corpus (new inputs stay in build-fuzz/corpus).
FUZZ_SECONDS ?= 60
fuzz: build
	@./scripts/install-deps.sh fuzz
	@test -f build-fuzz/CMakeCache.txt || CXX=clang++ cmake -S tests/fuzz -B build-fuzz \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSITMAP_GEO_LIB=$(abspath $(BUILD))/libsitmap_geo.a
	@cmake --build build-fuzz -j $(JOBS) --target extract_fuzz
	@mkdir -p build-fuzz/corpus && cp -n tests/fuzz/corpus/* build-fuzz/corpus/ 2>/dev/null || true
	cd build-fuzz && ./extract_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-rss_limit_mb=4096 -artifact_prefix=./ corpus

clean:
	rm -rf $(BUILD) $(OUT)
