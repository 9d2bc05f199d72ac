#ifndef NEWSMON_CLIBXML2_SHIM_H
#define NEWSMON_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU; its headers then include the system ICU headers, which clash
   with Foundation's bundled ICU module ("'UErrorCode' has different definitions in different modules").
   newsmon never touches the ICU fields, so the flag is dropped before any other libxml2 header. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/encoding.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

/* xmlFree is a global function-pointer variable, which Swift 6 refuses to reference. */
static inline void newsmon_xml_free(void *p) { xmlFree(p); }

#endif
