# A thin wrapper around CMake: every build rule lives in CMakeLists.txt.
#
#   make          configure (once) and build $(BUILD_DIR)/ismsc
#   make demo     install missing packages, build, check examples/ and build its site
#   make test     install missing packages, build, run ctest; then the same under ASan+UBSan
#   make deps     install missing Debian packages (scripts/install-deps)
#   make format   clang-format the C sources in compiler/
#   make clean    remove the build folders
#
# Override on the command line, e.g. `make CMAKE_BUILD_TYPE=Debug BUILD_DIR=build-debug`.
# A build folder is configured once; to change its CMake options afterwards, `make clean`.

BUILD_DIR        ?= build
ASAN_DIR         ?= build-asan
FUZZ_DIR         ?= build-fuzz
FUZZ_SECONDS     ?= 600
CMAKE_BUILD_TYPE ?= RelWithDebInfo
CMAKE            ?= cmake
CTEST            ?= ctest
PYTHON           ?= /usr/bin/python3
CLANG_FORMAT     ?= clang-format
CMAKE_EXTRA_FLAGS ?=
NPROC            := $(shell nproc 2>/dev/null || echo 1)
ISMSC            := $(BUILD_DIR)/ismsc
DEMO_OUT         ?= out

# Sanitizer reports: full stack traces; any finding fails the test that hit it.
SANITIZER_ENV ?= ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The targets below are steps in order (deps before the build, the build before tests);
# parallelism happens inside `cmake --build`, so this file runs its own steps one at a time.
.NOTPARALLEL:

all: $(BUILD_DIR)/.ran-cmake
	$(CMAKE) --build $(BUILD_DIR) -j $(NPROC)

$(BUILD_DIR)/.ran-cmake:
	$(CMAKE) -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) $(CMAKE_EXTRA_FLAGS)
	touch $@

$(ASAN_DIR)/.ran-cmake:
	$(CMAKE) -S . -B $(ASAN_DIR) -DISMSC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_EXTRA_FLAGS)
	touch $@

deps:
	scripts/install-deps

# What the whole suite needs on top: clang's libFuzzer for the fuzz smoke, Chromium for
# the HTML tests, LibreOffice and python-docx for the DOCX tests.
test-deps:
	scripts/install-deps --fuzz --browser --office

# Check the example, then build its document set into $(DEMO_OUT).
demo: deps all
	$(ISMSC) check examples
	$(ISMSC) build examples -o $(DEMO_OUT)
	@echo "demo: open $(abspath $(DEMO_OUT))/index.html"
	@echo "demo: Word files in $(abspath $(DEMO_OUT)): soa.docx, rtp.docx, policies/*.docx"

test: deps test-deps all
	$(CTEST) --test-dir $(BUILD_DIR) -j $(NPROC) --output-on-failure
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-fuzz

# The whole suite again, built with -fsanitize=address,undefined.
test-asan: $(ASAN_DIR)/.ran-cmake
	$(CMAKE) --build $(ASAN_DIR) -j $(NPROC)
	$(SANITIZER_ENV) $(CTEST) --test-dir $(ASAN_DIR) -j $(NPROC) --output-on-failure

# The libFuzzer harnesses (clang, ASan+UBSan): a short smoke run in `make test`,
# and `make fuzz` for long runs that grow tests/fuzz/corpus/.
$(FUZZ_DIR)/.ran-cmake:
	CC=clang $(CMAKE) -S . -B $(FUZZ_DIR) -DISMSC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_EXTRA_FLAGS)
	touch $@

test-fuzz: $(FUZZ_DIR)/.ran-cmake
	$(CMAKE) --build $(FUZZ_DIR) -j $(NPROC) --target fuzz_yaml fuzz_markdown fuzz_tree fuzz_sheet
	$(CTEST) --test-dir $(FUZZ_DIR) -L fuzz -j $(NPROC) --output-on-failure

fuzz: deps $(FUZZ_DIR)/.ran-cmake
	$(CMAKE) --build $(FUZZ_DIR) -j $(NPROC) --target fuzz_yaml fuzz_markdown fuzz_tree fuzz_sheet
	$(PYTHON) tests/fuzz/make_seeds.py $(FUZZ_DIR)/fuzz-seeds
	for h in yaml markdown tree sheet; do \
	  mkdir -p tests/fuzz/corpus/$$h; \
	  $(FUZZ_DIR)/tests/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -dict=tests/fuzz/$$h.dict -print_final_stats=1 \
	    tests/fuzz/corpus/$$h $(FUZZ_DIR)/fuzz-seeds/$$h || exit 1; \
	done

format:
	@files='$(wildcard compiler/*.c compiler/*.h)'; \
	if [ -z "$$files" ]; then echo "format: no C sources in compiler/"; exit 0; fi; \
	command -v $(CLANG_FORMAT) >/dev/null || { echo "format: $(CLANG_FORMAT) not found (apt-get install clang-format)" >&2; exit 1; }; \
	echo "$(CLANG_FORMAT) -i $$files"; $(CLANG_FORMAT) -i $$files

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)

.PHONY: all deps test-deps demo test test-asan test-fuzz fuzz format clean
