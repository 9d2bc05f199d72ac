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

/* The generic error channel is variadic, which Swift cannot implement: these silence it for the
   calling thread (libxml2 keeps it per thread), so nothing is ever written to stderr. */
static void newsmon_xml_generic_error_sink(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void newsmon_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, newsmon_xml_generic_error_sink);
}

#endif
