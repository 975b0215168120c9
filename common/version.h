// The one version string every Lanyard program prints in --version.
#pragma once

#define LANYARD_VERSION "0.1.0"
