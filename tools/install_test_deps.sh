#!/usr/bin/env bash
# What `make test` needs from Debian besides Python: Chromium's headless shell and fonts (browser tests, and the fonts
# the PDF editions embed), pango (WeasyPrint's text layout), poppler-utils (`pdftotext`, `pdfinfo`: the PDF tests read
# what was rendered), Java 17 and Maven (the search engine the integration tests start, tools/search_engine), Varnish
# (the front cache the integration layer purges), Redis (the shared cache and rate limits; the test command starts it),
# nginx (tests/integration/test_shared_cache.py runs one in front of two app servers) and systemd's `systemd-analyze`
# (tests/test_deploy.py verifies the units in deploy/systemd; systemd need not be running). As root, missing packages
# are installed with apt-get; otherwise one line says what to install, and the test run stops.
#
# `tools/install_test_deps.sh --run` checks only what `make run` needs from Debian: GNU gettext (`msgfmt`, which
# compiles the interface catalogues; the tests' `makemessages` uses its `xgettext` too). Java is optional there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

command="make test"
[ "${1:-}" = "--run" ] && command="make run"
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ "$command" = "make test" ]; then
    [ -x /usr/bin/chromium-headless-shell ] || missing+=(chromium-headless-shell)
    for package in fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils varnish redis-server nginx; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    # The engine launcher compiles its small Java main class (javac) and resolves the jars with Maven.
    command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
    # On PostgreSQL (DATABASE_URL=postgres://…) the backup test dumps and restores with the server's client tools; the
    # server itself is the caller's (.ci/run starts one). SQLite, the default, needs neither.
    case "${DATABASE_URL:-}" in
        postgres*) command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client) ;;
    esac
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "$command needs Debian packages that are missing: run  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing from Debian what $command needs: ${missing[*]}"
apt-get update -qq
# Debian starts the service of a package as it installs it, and enables it at boot: on a machine with systemd, nginx
# would then answer on port 80, Varnish on 6081 and Redis on 6379 for nothing (the tests run their own, on spare
# ports, and stop them). While apt-get runs, a policy-rc.d refuses every start (unless the machine has one already, as
# Docker's images do); under systemd, the units of the servers installed now are then disabled (and stopped, had a
# policy of the machine's let them start), so no boot starts them either. A server the machine had before is left as
# its owner set it.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi
apt-get install -y -qq "${missing[@]}" >/dev/null
if [ -d /run/systemd/system ]; then
    for server in nginx:nginx.service varnish:varnish.service redis-server:redis-server.service; do
        if [[ " ${missing[*]} " == *" ${server%%:*} "* ]]; then
            systemctl disable --now --quiet "${server#*:}"
        fi
    done
fi
