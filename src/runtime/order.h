/*
 * order.h - the order in which stacked live patches may be reverted: a
 * patch applied later that replaces some of the same functions sits on
 * top of it and must go first.
 */
#ifndef KLIVE_ORDER_H
#define KLIVE_ORDER_H

/*
 * The name of a patch applied after NAME (per klive's records) that is
 * still in the kernel and shares a function with it, or NULL; caller frees.
 */
char *kl_order_on_top(const char *name);

#endif
