# Makefile - builds the klive binary; `make check` runs the tests, `make demo` the demo.
CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror
LDLIBS += -lelf

SRCS := $(sort $(wildcard src/*.c src/*/*.c))
OBJS := $(SRCS:src/%.c=.obj/%.o)
DEPS := $(OBJS:.o=.d)

.PHONY: all clean check demo deps unit

all: klive

klive: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(DEPS)

deps:
	@tools/install-deps

check: deps
	@$(MAKE) --no-print-directory klive
	@tests/run

demo: deps
	@$(MAKE) --no-print-directory klive
	@tools/demo

clean:
	rm -rf .obj klive
