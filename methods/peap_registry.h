// The methods PEAP's phase 2 runs by default: the built-in ones without the
// tunnelled ones (no PEAP inside PEAP). Kept apart from peap_common so that
// the codec and its fuzz target do not pull in every method.
#pragma once

#include "methods/method_registry.h"

namespace lanyard::eap {

MethodRegistry peap_inner_registry();

}  // namespace lanyard::eap
