# scalectl — make demo, make test, make install. See README.md.
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
BIN := .build/debug/scalectl
RELEASE_BIN := .build/release/scalectl

# Debian packages the build, the demo and the tests need, and the command that proves each is there.
BUILD_PKGS := libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h zlib1g-dev:/usr/include/zlib.h pkg-config:/usr/bin/pkg-config
# One package per line: package:/path/that/proves/it/is/installed.
TEST_PKGS := $(BUILD_PKGS)
TEST_PKGS += groff:/usr/bin/groff prometheus:/usr/bin/promtool openssl:/usr/bin/openssl
TEST_PKGS += zsh:/usr/bin/zsh fish:/usr/bin/fish
TEST_PKGS += nginx-light:/usr/sbin/nginx
TEST_PKGS += varnish:/usr/sbin/varnishd
TEST_PKGS += libmemcached-dev:/usr/include/libmemcached/memcached.h gcc:/usr/bin/cc g++:/usr/bin/c++
TEST_PKGS += jq:/usr/bin/jq
TEST_PKGS += redis-server:/usr/bin/redis-server redis-tools:/usr/bin/redis-cli python3:/usr/bin/python3
TEST_PKGS += rabbitmq-server:/usr/lib/rabbitmq/bin/rabbitmq-server curl:/usr/bin/curl
TEST_PKGS += zstd:/usr/bin/zstd gzip:/bin/gzip
TEST_PKGS += nagios4-core:/usr/sbin/nagios4 libmonitoring-plugin-perl:/usr/share/perl5/Monitoring/Plugin/Performance.pm
TEST_PKGS += prometheus-node-exporter:/usr/bin/prometheus-node-exporter
# Spark SQL's JVM, for the cdn sql engine tests.
TEST_PKGS += openjdk-17-jre-headless:/usr/lib/jvm/java-17-openjdk-amd64/bin/java
BENCH_PKGS := $(BUILD_PKGS) hyperfine:/usr/bin/hyperfine curl:/usr/bin/curl
BENCH_PKGS += nginx-light:/usr/sbin/nginx
BENCH_PKGS += libmemcached-dev:/usr/include/libmemcached/memcached.h gcc:/usr/bin/cc
BENCH_PKGS += prometheus-blackbox-exporter:/usr/bin/prometheus-blackbox-exporter openssl:/usr/bin/openssl
BENCH_PKGS += rabbitmq-server:/usr/lib/rabbitmq/bin/rabbitmq-server time:/usr/bin/time
BENCH_PKGS += goaccess:/usr/bin/goaccess mawk:/usr/bin/mawk python3:/usr/bin/python3

.PHONY: all build release demo test test-asan test-tsan fuzz fuzz-smoke fuzz-replay deps-build deps-test deps-bench generate install bench clean

all: build

# Installs the packages whose proof file is missing: apt-get update once, then one install.
# Not root: say exactly what to install instead.
define ensure_pkgs
	@missing=""; for entry in $(1); do pkg=$${entry%%:*}; file=$${entry#*:}; \
	  [ -e "$$file" ] || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing"; echo "run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
endef

deps-build:
	$(call ensure_pkgs,$(BUILD_PKGS))

deps-test:
	$(call ensure_pkgs,$(TEST_PKGS))
	@# The SQS tests' server comes from PyPI, not Debian.
	@command -v moto_server >/dev/null || ls /usr/local/bin/moto_server $$HOME/.pyenv/versions/*/bin/moto_server >/dev/null 2>&1 || \
	  { echo "installing moto[server] from PyPI"; python3 -m pip install -q --break-system-packages 'moto[server]' || python3 -m pip install -q 'moto[server]'; }
	@# The SARIF schema test's validator: jsonschema, and rfc3986-validator without which it does
	@# not check the "uri-reference" format at all.
	@python3 -c 'import jsonschema, rfc3986_validator' 2>/dev/null || \
	  { echo "installing jsonschema and rfc3986-validator from PyPI"; python3 -m pip install -q --break-system-packages jsonschema rfc3986-validator || python3 -m pip install -q jsonschema rfc3986-validator; }
	@# The engines cdn sql's queries are run on: DuckDB, ClickHouse in-process (chdb), Spark SQL.
	@python3 -c 'import duckdb, chdb, pyspark' 2>/dev/null || \
	  { echo "installing duckdb, chdb and pyspark from PyPI"; python3 -m pip install -q --break-system-packages duckdb chdb pyspark || python3 -m pip install -q duckdb chdb pyspark; }

deps-bench:
	$(call ensure_pkgs,$(BENCH_PKGS))

build: deps-build
	$(SWIFT) build

release: deps-build
	$(SWIFT) build -c release --static-swift-stdlib --product scalectl

demo: build
	@./demo/run.sh $(BIN)

# Everything CI checks: the man page lints clean, then every test (CI=true turns skips for
# missing servers into failures).
test: deps-test
	$(SWIFT) build --build-tests
	groff -man -ww -z man/scalectl.1
	SCALECTL_SKIP_LOAD_TESTS=1 $(SWIFT) test --parallel 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}
	# Alone: its load is two CPU hogs, not the rest of the suite.
	$(SWIFT) test --skip-build --filter ProbeUnderLoadTests 2>&1 | tee -a .build/test.log; exit $${PIPESTATUS[0]}
	$(MAKE) test-asan test-tsan fuzz-smoke

# The suites whose code holds unsafe pointers (byte parsing, hashing, libcurl, sockets) under
# AddressSanitizer, and the ones that start threads (cdn workers, curl multi, loopback servers)
# under ThreadSanitizer. Each has its own build directory so the plain build stays warm.
ASAN_SUITES := CDNLogsTests|ScaleCoreTests|HashRingTests|ScaleNetTests|ScaleHTTPTests
TSAN_SUITES := CDNLogsTests|ScaleHTTPTests
test-asan: deps-test
	SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/lsan.supp \
	  $(SWIFT) test --no-parallel --scratch-path .build-asan --sanitize=address --filter '$(ASAN_SUITES)'
test-tsan: deps-test
	SWIFT_BACKTRACE=enable=no TSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/tsan.supp \
	  $(SWIFT) test --no-parallel --scratch-path .build-tsan --sanitize=thread --filter '$(TSAN_SUITES)'

# libFuzzer over every parser of untrusted bytes (Fuzz/README.md): FUZZ_SECONDS per target
# (default 600), or only some: make fuzz FUZZ_TARGETS="har resp".
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?=
fuzz: deps-build
	Fuzz/fuzz.sh build
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/fuzz.sh run $(FUZZ_TARGETS)
# A few thousand inputs per target from a fixed seed, then every saved regression input.
fuzz-smoke: deps-build
	Fuzz/fuzz.sh build
	Fuzz/fuzz.sh smoke $(FUZZ_TARGETS)
	Fuzz/fuzz.sh replay $(FUZZ_TARGETS)
fuzz-replay: deps-build
	Fuzz/fuzz.sh build
	Fuzz/fuzz.sh replay $(FUZZ_TARGETS)

# Rewrites the files rendered from the command table and the outputs of the docs' transcripts
# (the tests fail when they drift).
generate: build
	$(BIN) generate man > man/scalectl.1
	$(BIN) generate bash > completions/scalectl.bash
	$(BIN) generate zsh > completions/_scalectl
	$(BIN) generate fish > completions/scalectl.fish
	@# The docs' transcripts: their outputs rewritten from the binary (DocTranscriptTests).
	$(SWIFT) build --build-tests
	SCALECTL_REGENERATE_DOCS=1 $(SWIFT) test --skip-build --filter DocTranscriptTests

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/scalectl
	install -m 644 man/scalectl.1 $(DESTDIR)$(PREFIX)/share/man/man1/scalectl.1
	install -m 644 completions/scalectl.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/scalectl
	install -m 644 completions/_scalectl $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_scalectl
	install -m 644 completions/scalectl.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/scalectl.fish

bench: deps-bench release
	./Benchmarks/startup.sh $(RELEASE_BIN)
	./Benchmarks/ring.sh $(RELEASE_BIN)
	./Benchmarks/cache.sh $(RELEASE_BIN)
	./Benchmarks/probe.sh $(RELEASE_BIN)
	./Benchmarks/rebalance.sh $(RELEASE_BIN)
	./Benchmarks/backlog.sh $(RELEASE_BIN)
	./Benchmarks/cdn.sh $(RELEASE_BIN)
	./Benchmarks/cdn_flood.sh $(RELEASE_BIN)

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan
