#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# In the guest: put in place the module index that dkms-build.sh computed
# natively for the running kernel with the test build of pktmeta in
# updates/dkms, instead of running depmod (a minute under TCG).
#
#   module-index.sh DKMS_DIR     (build/dkms of the checkout)
set -euo pipefail
kver=$(uname -r)
idx=$1/depmod/$kver/lib/modules/$kver
cp "$idx"/modules.*.bin "$idx"/modules.{dep,alias,symbols,softdep,devname} "/lib/modules/$kver/"
