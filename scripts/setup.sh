#!/usr/bin/env bash
# Set up everything phone-sim needs, idempotently:
#   1. Debian packages (PortAudio headers, sox, multimon-ng, espeak-ng, tmux…) when we may
#      install them (root or password-less sudo, apt-get present); sip-tester (SIPp) and
#      baresip-core are the SIP clients the gateway's tests drive;
#   2. a virtual environment in .venv with phone-sim installed editable with its dev tools;
#   3. PyAudio (the `audio` extra), which is optional: without it the simulator is silent.
# A stamp in .venv keyed on the hash of pyproject.toml (and of this script) makes a second
# run return at once.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
PY="$VENV/bin/python"
STAMP="$VENV/.setup-stamp"
PYTHON=${PYTHON:-python3}

say() { printf 'setup: %s\n' "$*"; }

wanted_stamp() {
    cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1
}

# Quiet pip that keeps errors and pip's exit status. Two harmless messages are dropped: the
# build backend's warning on every editable install, and the warning some machines' pip
# repeats about unreachable local package indexes.
pip_quiet() {
    PYTHONWARNINGS=ignore::UserWarning "$PY" -m pip "$@" 2>&1 \
        | { grep -v -e "is ignored: it is neither a file nor a directory" || true; }
    return "${PIPESTATUS[0]}"
}

PYAUDIO_FAILED="$VENV/.pyaudio-failed"  # holds "no-headers" when PortAudio was missing

portaudio_headers() { [ -e /usr/include/portaudio.h ]; }

install_pyaudio() {
    if pip_quiet install -q -e '.[audio]' >"$VENV/pyaudio-build.log" 2>&1; then
        rm -f "$PYAUDIO_FAILED"
        return 0
    fi
    if portaudio_headers; then echo headers >"$PYAUDIO_FAILED"; else echo no-headers >"$PYAUDIO_FAILED"; fi
    return 1
}

# ---------------------------------------------------------------- fast path

if [ -x "$PY" ] && "$PY" -c "pass" 2>/dev/null \
    && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(wanted_stamp)" ]; then
    # Retry PyAudio only if PortAudio was installed since the failed attempt.
    if [ "$(cat "$PYAUDIO_FAILED" 2>/dev/null)" = no-headers ] && portaudio_headers; then
        if install_pyaudio; then say "PyAudio installed: sound enabled."; fi
    fi
    exit 0
fi

# ---------------------------------------------------------------- system packages

can_install_system_packages() {
    command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || return 1
    [ "$(id -u)" -eq 0 ] && return 0
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null
}

missing_debian_packages() {
    local wanted=(portaudio19-dev sox multimon-ng espeak-ng tmux librsvg2-bin sip-tester baresip-core)
    if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
        wanted+=(python3-venv)
    fi
    # Building PyAudio needs a C compiler and Python's headers.
    command -v cc >/dev/null 2>&1 || wanted+=(gcc libc6-dev)
    if ! "$PYTHON" -c "import os, sysconfig, sys; \
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" 2>/dev/null; then
        wanted+=(python3-dev)
    fi
    local package
    for package in "${wanted[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || printf '%s\n' "$package"
    done
}

install_system_packages() {
    local missing
    if ! command -v dpkg >/dev/null 2>&1; then
        say "not a Debian/Ubuntu system: install PortAudio, sox, multimon-ng, espeak-ng and tmux" \
            "yourself, or sound will be silent and some tests will be skipped."
        return 0
    fi
    mapfile -t missing < <(missing_debian_packages)
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! can_install_system_packages; then
        say "cannot install ${missing[*]} (needs root or sudo): sound will be silent and some" \
            "tests will be skipped."
        return 0
    fi
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${sudo[@]}" apt-get update -qq </dev/null >/dev/null \
        && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null; }; then
        say "apt-get failed for ${missing[*]}: sound may be silent and some tests skipped."
    fi
}

install_system_packages

# ---------------------------------------------------------------- virtual environment

if ! [ -x "$PY" ] || ! "$PY" -c "pass" 2>/dev/null; then
    say "creating $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi

say "installing phone-sim and its dev tools into $VENV"
pip_quiet install -q --upgrade pip
pip_quiet install -q -e '.[dev,bench]'

if ! install_pyaudio; then
    say "PyAudio could not be built: sound will be silent (details: $VENV/pyaudio-build.log)."
fi

wanted_stamp >"$STAMP"
say "ready."
