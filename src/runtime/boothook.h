/*
 * boothook.h - the boot-time hook that reapplies the installed patches of
 * the booted kernel release: a systemd unit on systems booted with
 * systemd, else an /etc/init.d script started in runlevel S.
 */
#ifndef KLIVE_BOOTHOOK_H
#define KLIVE_BOOTHOOK_H

/* Writes and enables the hook (idempotent); -1 on error. */
int kl_boothook_install(void);
/* Disables and removes the hook. */
void kl_boothook_remove(void);

/*
 * The hook of a pending live upgrade, run early at boot (before the
 * network): `klive upgrade --resume --store STORE` while STORE/state exists.
 */
int kl_boothook_install_upgrade(const char *store);
void kl_boothook_remove_upgrade(void);

#endif
