#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The pktmeta version, as dkms.conf declares it.
sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$(dirname "$0")/../dkms.conf"
