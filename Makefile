# Lanyard — the one build. See README.md.
#
#   make            release binaries into build/bin
#   make test       every test suite that exists; ends with "N passed, M failed"
#   make asan       unit tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz       every libFuzzer target for FUZZ_SECONDS each (clang)
#   make deps       Debian packages the build and the tests need (idempotent)
#   make demo       supplicant and authenticator in two namespaces (root)
#   make TLS=mbedtls ...   the mbedTLS backend instead of OpenSSL

TLS ?= openssl
CXX ?= g++
CLANGXX ?= clang++
FUZZ_SECONDS ?= 20
JOBS ?= $(shell nproc)

ifeq ($(TLS),openssl)
  TLS_LIBS := -lssl -lcrypto
  BUILD_ROOT ?= build
else ifeq ($(TLS),mbedtls)
  TLS_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto -lcrypto
  BUILD_ROOT ?= build/mbedtls
else
  $(error TLS must be openssl or mbedtls, not '$(TLS)')
endif

WARNINGS := -Wall -Wextra -Wshadow -Wswitch-enum -Wnon-virtual-dtor -Wformat=2 -Werror=return-type
CPPFLAGS_COMMON := -I. -DLANYARD_TLS_BACKEND=\"$(TLS)\" -DLANYARD_TLS_$(TLS) -DLANYARD_WITH_XFRM $(shell pkg-config --cflags libnl-genl-3.0 libnl-xfrm-3.0 2>/dev/null)
CXXSTD := -std=c++20
RELEASE_FLAGS := -O2 -g
# GCC 12 reports -Wmaybe-uninitialized false positives inside std::variant
# moves when sanitizers are on (fully initialized structs); the release build
# keeps the warning.
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -Wno-maybe-uninitialized

# Libraries the core needs besides TLS: hiredis for the shared TLS session store.
CORE_LIBS := -lhiredis
OS_LIBS := -lpcap $(shell pkg-config --libs libnl-genl-3.0 libnl-xfrm-3.0 2>/dev/null)

# Every .cpp in these folders goes into the library, except main.cpp files,
# which are programs. Folders that do not exist yet are simply empty.
SRC_DIRS ?= common crypto tls tls/$(TLS) methods eapol radius ike \
            drivers drivers/memory drivers/wired drivers/pcap drivers/nl80211 drivers/xfrm \
            supplicant authenticator gateway tools/eapol_test
LIB_SRCS := $(sort $(filter-out %/main.cpp,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.cpp))))
# Sources that need libnl or libpcap: never linked into the unit tests.
OS_SRCS := $(filter drivers/wired/% drivers/pcap/% drivers/nl80211/% drivers/xfrm/%,$(LIB_SRCS))
CORE_SRCS := $(filter-out $(OS_SRCS),$(LIB_SRCS))

PROGRAMS := $(foreach p,supplicant:lanyard-supplicant authenticator:lanyard-authenticator \
                         gateway:lanyard-gateway tools/eapol_test:lanyard-eapol-test,\
              $(if $(wildcard $(word 1,$(subst :, ,$(p)))/main.cpp),$(p)))
PROGRAM_BINS := $(foreach p,$(PROGRAMS),$(BUILD_ROOT)/bin/$(word 2,$(subst :, ,$(p))))
PROGRAM_OBJS = $(foreach p,$(PROGRAMS),$(OBJ)/$(word 1,$(subst :, ,$(p)))/main.o)

UNIT_SRCS ?= $(sort $(wildcard tests/unit/*.cpp))
FUZZ_SRCS ?= $(sort $(wildcard tests/fuzz/*_fuzz.cpp))

# ---- release build -------------------------------------------------------
OBJ := $(BUILD_ROOT)/obj
CORE_OBJS := $(CORE_SRCS:%.cpp=$(OBJ)/%.o)
OS_OBJS := $(OS_SRCS:%.cpp=$(OBJ)/%.o)
UNIT_OBJS := $(UNIT_SRCS:%.cpp=$(OBJ)/%.o)
CORE_LIB := $(BUILD_ROOT)/lib/liblanyard.a
OS_LIB := $(BUILD_ROOT)/lib/liblanyard_os.a
UNIT_BIN := $(BUILD_ROOT)/bin/lanyard-unit-tests

.PHONY: all test unit unit-mbedtls-bin asan fuzz deps demo clean pki interop bench-radius bench-ike
.DEFAULT_GOAL := all

# Check programs the VM suite runs (drivers/tools/<name>.cpp, each with its own main).
CHECK_TOOLS := $(foreach t,nl80211_check nl80211_interop_check,$(if $(wildcard drivers/tools/$(t).cpp),$(t)))
CHECK_BINS := $(CHECK_TOOLS:%=$(BUILD_ROOT)/bin/%)

all: $(PROGRAM_BINS) $(UNIT_BIN) $(CHECK_BINS)

.SECONDARY: $(CHECK_TOOLS:%=$(OBJ)/drivers/tools/%.o)
$(BUILD_ROOT)/bin/%_check: $(OBJ)/drivers/tools/%_check.o $(OS_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(RELEASE_FLAGS) -o $@ $< $(OS_LIB) $(CORE_LIB) $(OS_LIBS) $(TLS_LIBS) $(CORE_LIBS) -lpthread

$(OBJ)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXSTD) $(RELEASE_FLAGS) $(WARNINGS) $(CPPFLAGS_COMMON) -MMD -MP -c $< -o $@

$(CORE_LIB): $(CORE_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

$(OS_LIB): $(OS_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^ $(if $(OS_OBJS),,)

define program_rule
$(BUILD_ROOT)/bin/$(2): $(OBJ)/$(1)/main.o $(OS_LIB) $(CORE_LIB)
	@mkdir -p $$(dir $$@)
	$$(CXX) $$(RELEASE_FLAGS) -o $$@ $$< $(OS_LIB) $(CORE_LIB) $$(OS_LIBS) $$(TLS_LIBS) $(CORE_LIBS) -lpthread
endef
$(foreach p,$(PROGRAMS),$(eval $(call program_rule,$(word 1,$(subst :, ,$(p))),$(word 2,$(subst :, ,$(p))))))

# The unit tests link the core only: no driver, no libnl, no libpcap.
$(UNIT_BIN): $(UNIT_OBJS) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(RELEASE_FLAGS) -o $@ $(UNIT_OBJS) $(CORE_LIB) $(TLS_LIBS) $(CORE_LIBS) -lpthread

# ---- test PKI (generated, never committed) -------------------------------
PKI_DIR ?= build/pki
pki: $(PKI_DIR)/.done
$(PKI_DIR)/.done: tests/pki/make-pki.sh
	tests/pki/make-pki.sh $(PKI_DIR)
	@touch $@

# ---- tests ----------------------------------------------------------------
unit: $(UNIT_BIN) pki
	LANYARD_TEST_PKI=$(PKI_DIR) $(UNIT_BIN)

# The mbedTLS build (daemons and unit tests) next to the OpenSSL one: make test
# runs the unit suite on both backends, the cross-backend TLS test and an
# interop case with the mbedTLS daemons (issue 9).
MBEDTLS_UNIT_BIN := build/mbedtls/bin/lanyard-unit-tests
unit-mbedtls-bin:
	$(MAKE) -j$(JOBS) TLS=mbedtls BUILD_ROOT=build/mbedtls all

test: all pki $(if $(filter openssl,$(TLS)),unit-mbedtls-bin)
	@BUILD_ROOT=$(BUILD_ROOT) PKI_DIR=$(PKI_DIR) MBEDTLS_BUILD_ROOT=build/mbedtls tests/run-all.sh

interop: all pki
	@BUILD_ROOT=$(BUILD_ROOT) PKI_DIR=$(PKI_DIR) SUITES=interop tests/run-all.sh

# ---- benchmarks -------------------------------------------------------------
# Side by side with the reference servers, one run; writes $(BUILD_ROOT)/bench/radius.md.
bench-radius: all pki
	tests/bench/bench-radius.sh $(BUILD_ROOT)/bin $(PKI_DIR)

# IKE_SA setup rate and memory per IKE_SA, lanyard-gateway against charon
# as responders with the same initiator load (root: namespaces).
bench-ike: all
	BUILD_ROOT=$(BUILD_ROOT) tests/interop/strongswan-bench-ike.sh $(or $(IKE_COUNT),1000) $(or $(IKE_CONCURRENCY),16)

# ---- sanitizers -----------------------------------------------------------
ASAN_ROOT ?= build/asan
ASAN_CORE_OBJS := $(CORE_SRCS:%.cpp=$(ASAN_ROOT)/obj/%.o)
ASAN_UNIT_OBJS := $(UNIT_SRCS:%.cpp=$(ASAN_ROOT)/obj/%.o)

$(ASAN_ROOT)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXSTD) $(ASAN_FLAGS) $(WARNINGS) $(CPPFLAGS_COMMON) -MMD -MP -c $< -o $@

$(ASAN_ROOT)/bin/lanyard-unit-tests: $(ASAN_UNIT_OBJS) $(ASAN_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(ASAN_FLAGS) -o $@ $^ $(TLS_LIBS) $(CORE_LIBS) -lpthread

asan: $(ASAN_ROOT)/bin/lanyard-unit-tests pki
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LANYARD_TEST_PKI=$(PKI_DIR) $(ASAN_ROOT)/bin/lanyard-unit-tests

# ---- fuzzing (clang, libFuzzer) -------------------------------------------
FUZZ_ROOT ?= build/fuzz
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined
FUZZ_CORE_OBJS := $(CORE_SRCS:%.cpp=$(FUZZ_ROOT)/obj/%.o)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.cpp=$(FUZZ_ROOT)/bin/%)

$(FUZZ_ROOT)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CLANGXX) $(CXXSTD) $(FUZZ_FLAGS) $(CPPFLAGS_COMMON) -MMD -MP -c $< -o $@

$(FUZZ_ROOT)/bin/%: $(FUZZ_ROOT)/obj/tests/fuzz/%.o $(FUZZ_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CLANGXX) -fsanitize=fuzzer,address,undefined -o $@ $^ $(TLS_LIBS) $(CORE_LIBS) -lpthread

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	  name=$$(basename $$f); mkdir -p $(FUZZ_ROOT)/corpus/$$name; \
	  echo "== fuzz $$name for $(FUZZ_SECONDS)s"; \
	  seeds=; [ -d tests/fuzz/seeds/$$name ] && seeds=tests/fuzz/seeds/$$name; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(FUZZ_ROOT)/corpus/$$name $$seeds \
	    > $(FUZZ_ROOT)/$$name.log 2>&1; rc=$$?; tail -3 $(FUZZ_ROOT)/$$name.log; \
	  [ $$rc -eq 0 ] || { echo "fuzz: $$name failed (exit $$rc), see $(FUZZ_ROOT)/$$name.log"; exit 1; }; \
	done

# ---- dependencies ---------------------------------------------------------
deps:
	@tests/install-deps.sh

demo: all pki
	@tests/demo/run-demo.sh $(BUILD_ROOT)/bin $(PKI_DIR)

clean:
	rm -rf build

# Header dependencies of every object, the programs' main.o and the check tools included.
-include $(CORE_OBJS:.o=.d) $(OS_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(ASAN_CORE_OBJS:.o=.d) $(ASAN_UNIT_OBJS:.o=.d)
-include $(PROGRAM_OBJS:.o=.d) $(CHECK_TOOLS:%=$(OBJ)/drivers/tools/%.d)
-include $(FUZZ_CORE_OBJS:.o=.d)
