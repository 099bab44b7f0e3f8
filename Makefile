# Makefile - builds the klive binary; `make check` runs the tests, `make demo` the demo.
CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror
LDLIBS += -lelf

SRCS := $(sort $(wildcard src/*.c src/*/*.c))
OBJS := $(SRCS:src/%.c=.obj/%.o)
DEPS := $(OBJS:.o=.d)

.PHONY: all clean check demo deps unit fuzz

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

# The fuzz target over the object reader and the diff stage (fuzz/, libFuzzer).
FUZZ_SRCS := fuzz/fuzz_diff.c $(sort $(wildcard src/elf/*.c src/diff/*.c)) \
	src/util/util.c
FUZZER := .obj/fuzz/fuzz-diff

$(FUZZER): $(FUZZ_SRCS) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	clang -g -O1 -std=gnu11 -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ $(FUZZ_SRCS) -lelf

# Builds the fuzzer and runs it for FUZZ_TIME seconds (default 60).
fuzz: deps $(FUZZER)
	@KLIVE_TEST_KERNEL=none bash tests/t0020-fuzz.sh

clean:
	rm -rf .obj klive
