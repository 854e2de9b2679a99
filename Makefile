# ShadowScan: `make demo` analyses the bundled samples, `make test` runs the whole test suite.
# Both install Debian's libpcre2-dev and the compression libraries first if missing (as root, or through sudo).

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift

.PHONY: demo test deps build release bench samples clean

# zlib1g-dev, libbz2-dev, liblzma-dev, libzstd-dev: .gz, .bz2, .xz, .zst inputs; libsqlite3-dev: the history store (GRDB).
DEB_PACKAGES := libpcre2-dev zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libsqlite3-dev

deps:
	@dpkg -s $(DEB_PACKAGES) >/dev/null 2>&1 && command -v pkg-config >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PACKAGES) pkg-config; }

build: deps
	$(SWIFT) build --product shadowscan

release: deps
	$(SWIFT) build -c release --product shadowscan

demo: build
	.build/debug/shadowscan analyse SampleLogs/ --json .build/demo-report.json --html .build/demo-report.html
	@echo "JSON report written to .build/demo-report.json, HTML report to .build/demo-report.html"

test: deps
	$(SWIFT) test

bench: deps
	scripts/bench.sh

clean:
	rm -rf .build
