#ifndef POINTILLIST_CLIBXML2_SHIM_H
#define POINTILLIST_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU; its headers then clash with Foundation's own ICU types
// in debug builds. The reader API needs nothing from ICU.
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>

/// `xmlFree` is a global function pointer, which Swift cannot call directly.
static inline void pointillist_xml_free(void *p) { xmlFree(p); }
#endif
