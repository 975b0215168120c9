// CHILD_SAs in the Linux kernel (XFRM) over libnl-xfrm: the ESP SA pair
// (RFC 4303; AES-GCM RFC 4106, AES-CBC RFC 3602 with HMAC-SHA2 RFC 4868;
// UDP encapsulation RFC 3948 when NAT-T is in use) and the in/out/fwd
// policies for each traffic-selector pair. An ike::ChildSaInstaller, so
// the IKE core does not know about netlink. Linked into liblanyard_os.a
// only (needs libnl-xfrm-3); not exercised by unit tests.
#pragma once

#include <memory>

#include "ike/child_sa.h"

namespace lanyard::drivers {

// Opens a NETLINK_XFRM socket; fails where the kernel has no XFRM.
Result<std::unique_ptr<ike::ChildSaInstaller>> make_xfrm_installer(RandomSource& random);

}  // namespace lanyard::drivers
