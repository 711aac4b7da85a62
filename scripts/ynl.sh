#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's YNL tools (tools/net/ynl of linux-source-6.12) for the
# family's spec, Documentation/netlink/specs/pktmeta.yaml.
#
#   ynl.sh prepare   extract tools/net/ynl and the schemas of
#                    Documentation/netlink from /usr/src/linux-source-6.12.tar.xz
#                    into build/ynl (idempotent: again only when the package
#                    changed)
#   ynl.sh check     validate the spec against its schema (jsonschema) and
#                    compare the uAPI that ynl-gen-c renders from it with
#                    include/uapi/linux/pktmeta.h: every name it renders must
#                    exist there with the same value
#   ynl.sh cli ARGS  tools/net/ynl/cli.py with the spec and its schema, e.g.
#                    `ynl.sh cli --dump get`
#
# Needs linux-source-6.12, python3-yaml and python3-jsonschema
# (scripts/install-deps.sh). PYTHON (default Debian's /usr/bin/python3)
# runs the tools.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${BUILD_DIR:-$repo/build}/ynl
tarball=/usr/src/linux-source-6.12.tar.xz
PYTHON=${PYTHON:-/usr/bin/python3}
spec=$repo/Documentation/netlink/specs/pktmeta.yaml
schema=$out/Documentation/netlink/genetlink-legacy.yaml

prepare() {
	local version
	version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2> /dev/null) || {
		echo "ynl.sh: linux-source-6.12 is not installed (make deps)" >&2
		exit 1
	}
	if [ -f "$out/cli.py.version" ] && [ "$(cat "$out/cli.py.version")" = "$version" ] &&
		[ -f "$out/tools/net/ynl/cli.py" ] && [ -f "$schema" ]; then
		return 0
	fi
	rm -rf "$out"
	mkdir -p "$out"
	tar -xf "$tarball" -C "$out" --strip-components=1 \
		linux-source-6.12/tools/net/ynl linux-source-6.12/Documentation/netlink
	# ynl-gen-c looks for the kernel tree's root (a MAINTAINERS file) above
	# the spec to name it in the header it writes.
	: > "$out/MAINTAINERS"
	echo "$version" > "$out/cli.py.version"
}

check() {
	local gen=$out/check names c n g
	prepare
	rm -rf "$gen"
	mkdir -p "$gen"
	# The spec sits in the extracted tree, where ynl-gen-c finds its schema
	# (../genetlink-legacy.yaml) and validates it.
	cp "$spec" "$out/Documentation/netlink/specs/pktmeta.yaml"
	"$PYTHON" "$out/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
		--spec "$out/Documentation/netlink/specs/pktmeta.yaml" -o "$gen/pktmeta.h" > "$gen/gen.log" 2>&1 || {
		cat "$gen/gen.log" >&2
		echo "ynl.sh: ynl-gen-c refused the spec" >&2
		exit 1
	}
	# The rendered header renamed (GEN_PKTMETA_*, enum gen_pktmeta_*) so
	# that it compiles next to ours.
	sed -e 's/PKTMETA_/GEN_PKTMETA_/g' -e 's/enum pktmeta_/enum gen_pktmeta_/g' \
		"$gen/pktmeta.h" > "$gen/gen_pktmeta.h"
	names=$(grep -o '\b_*PKTMETA_[A-Z0-9_]*' "$gen/pktmeta.h" | grep -v '^_UAPI_' | sort -u)
	[ -n "$names" ] || { echo "ynl.sh: no names in the rendered header" >&2; exit 1; }
	c=$gen/compare.c
	{
		echo '#include <stdio.h>'
		echo '#include <string.h>'
		echo '#include <linux/pktmeta.h>'
		echo '#include "gen_pktmeta.h"'
		echo 'int main(void)'
		echo '{'
		echo '	int bad = 0;'
		for n in $names; do
			g=${n/PKTMETA_/GEN_PKTMETA_}
			if grep -q "^#define[[:space:]]*${n}[[:space:]]*\"" "$gen/pktmeta.h"; then
				printf '\tif (strcmp(%s, %s)) { printf("%s: \\"%%s\\" in the uAPI, \\"%%s\\" in the spec\\n", %s, %s); bad = 1; }\n' \
					"$n" "$g" "$n" "$n" "$g"
			else
				printf '\tif ((long long)(%s) != (long long)(%s)) { printf("%s: %%lld in the uAPI, %%lld in the spec\\n", (long long)(%s), (long long)(%s)); bad = 1; }\n' \
					"$n" "$g" "$n" "$n" "$g"
			fi
		done
		echo '	return bad;'
		echo '}'
	} > "$c"
	${CC:-cc} -Wall -Werror -I"$repo/include/uapi" -I"$gen" -o "$gen/compare" "$c" || {
		echo "ynl.sh: the spec renders names include/uapi/linux/pktmeta.h lacks (errors above)" >&2
		exit 1
	}
	"$gen/compare" || {
		echo "ynl.sh: the spec and include/uapi/linux/pktmeta.h disagree" >&2
		exit 1
	}
	echo "ynl.sh: spec valid; $(wc -w <<< "$names") names agree with include/uapi/linux/pktmeta.h"
}

case "${1:-}" in
prepare) prepare ;;
check) check ;;
cli)
	shift
	prepare
	exec "$PYTHON" "$out/tools/net/ynl/cli.py" --spec "$spec" --schema "$schema" "$@"
	;;
*)
	echo "usage: ynl.sh prepare | check | cli ARGS" >&2
	exit 2
	;;
esac
