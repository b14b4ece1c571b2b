# scalectl — make demo, make test, make install. See README.md.
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
BIN := .build/debug/scalectl
RELEASE_BIN := .build/release/scalectl

# Debian packages the build, the demo and the tests need, and the command that proves each is there.
BUILD_PKGS := libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h zlib1g-dev:/usr/include/zlib.h pkg-config:/usr/bin/pkg-config
TEST_PKGS := $(BUILD_PKGS) groff:/usr/bin/groff nginx-light:/usr/sbin/nginx varnish:/usr/sbin/varnishd zstd:/usr/bin/zstd gzip:/bin/gzip prometheus:/usr/bin/promtool openssl:/usr/bin/openssl zsh:/usr/bin/zsh fish:/usr/bin/fish
BENCH_PKGS := $(BUILD_PKGS) hyperfine:/usr/bin/hyperfine goaccess:/usr/bin/goaccess mawk:/usr/bin/mawk time:/usr/bin/time python3:/usr/bin/python3

.PHONY: all build release demo test deps-build deps-test deps-bench generate install bench clean

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

deps-bench:
	$(call ensure_pkgs,$(BENCH_PKGS))

build: deps-build
	$(SWIFT) build

release: deps-build
	$(SWIFT) build -c release --static-swift-stdlib

demo: build
	@./demo/run.sh $(BIN)

# Everything CI checks: the man page lints clean, then every test (CI=true turns skips for
# missing servers into failures).
test: deps-test
	$(SWIFT) build --build-tests
	groff -man -ww -z man/scalectl.1
	$(SWIFT) test --no-parallel 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

# Rewrites the files rendered from the command table (the tests fail when they drift).
generate: build
	$(BIN) generate man > man/scalectl.1
	$(BIN) generate bash > completions/scalectl.bash
	$(BIN) generate zsh > completions/_scalectl
	$(BIN) generate fish > completions/scalectl.fish

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
	./Benchmarks/cdn.sh $(RELEASE_BIN)

clean:
	rm -rf .build
