#!/usr/bin/env bash
# The one test entry point, for newcomers and CI alike: installs what the
# tests need and is missing (the lists in tests/requirements/), builds the
# book, then runs the whole suite (every feature). Arguments go to `cargo test`
# (`./test.sh --test it run_s3`). When everything is present the set-up
# takes well under a second; it prints how long it took.
set -euo pipefail
cd "$(dirname "$0")"

started=${EPOCHREALTIME/./}
requirements=tests/requirements
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
# The tests find these without the variables too (tests/it/support/requirements.rs).
export ZINIT_TEST_VENV=${ZINIT_TEST_VENV:-$target/test-venv}
export ZINIT_TEST_NODE=${ZINIT_TEST_NODE:-$target/test-node}
tools=$target/tools
export PATH=$tools/bin:$ZINIT_TEST_VENV/bin:$PATH

say() { echo "test.sh: $*" >&2; }
die() {
    say "$*"
    exit 1
}

# The entries of a list: comments and blank lines dropped.
entries() { sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1"; }

# True when FILE's content differs from what was installed from it into DIR.
changed() { [ "$(cat "$2/.installed-from" 2>/dev/null)" != "$(sha256sum <"$1")" ]; }
installed() { sha256sum <"$1" >"$2/.installed-from"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "installing needs root or sudo; run as root: $*"
    fi
}

apt_packages() {
    local wanted missing=()
    mapfile -t wanted < <(entries "$requirements/apt.txt")
    if [ -n "$(entries "$requirements/npm.txt")" ] && ! command -v npm >/dev/null; then
        wanted+=(npm)
    fi
    [ ${#wanted[@]} -gt 0 ] || return 0
    if ! command -v dpkg-query >/dev/null; then
        say "not a Debian/Ubuntu system: make sure these (Debian names) are installed: ${wanted[*]}"
        return 0
    fi
    local package
    for package in "${wanted[@]}"; do
        if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

pip_packages() {
    local list=$requirements/pip.txt venv=$ZINIT_TEST_VENV
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c '' 2>/dev/null; then
        changed "$list" "$venv" || return 0
    else
        say "creating $venv"
        rm -rf "$venv"
        python3 -m venv "$venv" || die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
    fi
    say "installing PyPI packages into $venv: $(entries "$list" | tr '\n' ' ')"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$list"
    installed "$list" "$venv"
}

npm_packages() {
    local list=$requirements/npm.txt prefix=$ZINIT_TEST_NODE packages
    mapfile -t packages < <(entries "$list")
    [ ${#packages[@]} -gt 0 ] || return 0
    mkdir -p "$prefix"
    changed "$list" "$prefix" || return 0
    say "installing npm packages into $prefix: ${packages[*]}"
    npm install --prefix "$prefix" --save-exact --no-audit --no-fund --loglevel=error "${packages[@]}" >/dev/null
    installed "$list" "$prefix"
}

cargo_tools() {
    local crate version flags
    while read -r crate version flags; do
        # An installed binary of the pinned version, ours or on PATH, will do.
        if [ "$("$crate" --version 2>/dev/null)" = "$crate v$version" ]; then
            continue
        fi
        say "installing $crate $version into $tools (once; it takes a few minutes)"
        # shellcheck disable=SC2086 # the flags are words
        cargo install --quiet --locked --root "$tools" "$crate" --version "$version" $flags
    done < <(entries "$requirements/cargo.txt")
}

mkdir -p "$target"
# Two runs at once would install into the same folders.
exec 9>"$target/.test-env.lock"
flock 9
apt_packages
pip_packages
npm_packages
cargo_tools
exec 9>&-
elapsed_ms=$(((${EPOCHREALTIME/./} - started) / 1000))
say "requirements ready in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s"

# The book is part of the product: it must build without a warning.
book_log=$(mdbook build book 2>&1) || die "mdbook build book failed:"$'\n'"$book_log"
if grep -E '^[[:space:]]*(WARN|ERROR)' <<<"$book_log"; then
    die "mdbook build book warned (above)"
fi

# Every feature: `mysql` (MySQL logins) is not a default, so that the default
# binary stays under 8 MB; its tests need it. What a default build does
# without it is tested on the static binary, which has the default features.
cargo test --all-features "$@"
