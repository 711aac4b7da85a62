// SPDX-License-Identifier: GPL-2.0
/*
 * pktmeta: a registry of per-packet metadata fields for XDP and TC programs.
 * Module parameters, load and unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "pktmeta.h"
#include "demand.h"
#include "hooks.h"
#include "sockets.h"
#include "stats.h"

static unsigned int capacity = PKTMETA_DEFAULT_CAPACITY;
module_param(capacity, uint, 0444);
MODULE_PARM_DESC(capacity, "Bytes of field data per packet (1..128, default 64)");

static bool hint_rx_hash = true;
module_param(hint_rx_hash, bool, 0444);
MODULE_PARM_DESC(hint_rx_hash, "Predefine the rx_hash hint field (default on)");

static bool hint_rx_vlan = true;
module_param(hint_rx_vlan, bool, 0444);
MODULE_PARM_DESC(hint_rx_vlan, "Predefine the rx_vlan hint field (default on)");

static bool hint_rx_timestamp = true;
module_param(hint_rx_timestamp, bool, 0444);
MODULE_PARM_DESC(hint_rx_timestamp, "Predefine the rx_timestamp hint field (default on)");

static bool hooks = true;
module_param(hooks, bool, 0444);
MODULE_PARM_DESC(hooks, "Driver hooks: hint fields from veth and virtio-net, and the reset at each XDP run that lets every driver carry fields (default on)");

static int __init pktmeta_init(void)
{
	u32 hints = (hint_rx_hash << PKTMETA_HINT_RX_HASH) |
		    (hint_rx_vlan << PKTMETA_HINT_RX_VLAN) |
		    (hint_rx_timestamp << PKTMETA_HINT_RX_TIMESTAMP);
	int err;

	err = pktmeta_stats_init();
	if (err)
		return err;
	err = pktmeta_registry_setup(capacity, hints);
	if (err) {
		pr_err("bad registry parameters (capacity=%u): %d\n", capacity, err);
		goto err_stats;
	}
	/*
	 * Kfunc sets cannot be unregistered: they stay until the module's BTF
	 * goes away with the module, and a program using them pins the module.
	 */
	err = pktmeta_kfuncs_skb_register();	/* first: see there */
	if (!err)
		err = pktmeta_kfuncs_xdp_register();
	if (!err)
		err = pktmeta_kfuncs_syscall_register();
	if (err) {
		pr_err("cannot register kfuncs: %d\n", err);
		goto err_registry;
	}
	err = pktmeta_hooks_init(hooks, hints, !PKTMETA_DEMAND_TRACKED);
	if (err) {
		pr_err("cannot watch driver modules for hooks: %d\n", err);
		goto err_registry;
	}
	err = pktmeta_netlink_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		pktmeta_hooks_exit();
		goto err_registry;
	}
	pktmeta_debugfs_init();
	return 0;

err_registry:
	pktmeta_registry_teardown();
err_stats:
	pktmeta_stats_exit();
	return err;
}

static void __exit pktmeta_exit(void)
{
	pktmeta_netlink_exit();
	pktmeta_debugfs_exit();
	pktmeta_sockets_exit();
	pktmeta_demand_exit();
	pktmeta_hooks_exit();
	pktmeta_registry_teardown();
	pktmeta_stats_exit();
}

module_init(pktmeta_init);
module_exit(pktmeta_exit);
MODULE_DESCRIPTION("Registry of per-packet metadata fields for XDP and TC");
MODULE_VERSION(PKTMETA_VERSION);
MODULE_LICENSE("GPL");
