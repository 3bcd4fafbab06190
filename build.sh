#!/usr/bin/env bash
# koe's one entry point for people and CI.
#
#   ./build.sh demo   install what is missing, build, run the main job
#   ./build.sh test   install what is missing, build twice (normal and
#                     ASan+UBSan) and run every test in both builds
#   ./build.sh build  install what is missing and build (build/koe)
#
# Needs Debian 12 (bookworm); run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the build and the demo need; the tests need a few more
# (a real browser, tools to check TLS and PDFs, systemd-analyze for the
# service units).
PACKAGES=(build-essential cmake pkg-config
          libsodium-dev libsqlite3-dev libjansson-dev libgsl-dev libhpdf-dev
          libmicrohttpd-dev libcurl4-openssl-dev poppler-utils fonts-ipaexfont-gothic)
TEST_PACKAGES=(chromium curl openssl python3-aiosmtpd systemd)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_missing() { # install_missing [extra packages...]
	local missing=()
	command -v node >/dev/null 2>&1 || missing+=(nodejs)
	command -v npm >/dev/null 2>&1 || missing+=(npm)
	for p in "${PACKAGES[@]}" "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing Debian packages: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The web page's JavaScript packages, pinned by package-lock.json.
npm_packages() {
	if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		say "installing npm packages (npm ci)"
		npm ci --no-audit --no-fund --loglevel=error
	fi
}

jobs_n() { nproc 2>/dev/null || echo 2; }

build() { # build DIR [cmake args...]
	local dir=$1; shift
	# Production unless the caller asks for the test hooks.
	case " $* " in *KOE_TEST_HOOKS=ON*) ;; *) set -- "$@" -DKOE_TEST_HOOKS=OFF ;; esac
	say "building in $dir"
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$dir" -j "$(jobs_n)"
}

run_tests() { # run_tests DIR
	say "running tests in $1"
	ctest --test-dir "$1" --output-on-failure -j "$(jobs_n)" --timeout 1200
}

cmd=${1:-}
case "$cmd" in
demo)
	install_missing
	npm_packages
	build build
	say "checking the example questionnaire"
	./build/koe check surveys/*.txt
	say "running the demo: a whole survey end to end, then one served for you to try"
	exec ./build/koe demo
	;;
test)
	install_missing "${TEST_PACKAGES[@]}"
	npm_packages
	# The suites run with the test-only hooks (a cheaper KDF, see
	# include/koe/testhooks.h); `./build.sh demo` and `build` turn them off.
	build build -DKOE_TEST_HOOKS=ON
	build build-asan -DKOE_SANITIZE=ON -DKOE_TEST_HOOKS=ON
	status=0
	run_tests build || status=1
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run_tests build-asan || status=1
	exit $status
	;;
build)
	install_missing
	npm_packages
	build build
	;;
*)
	echo "usage: ./build.sh demo|test|build" >&2
	exit 2
	;;
esac
