// Placeholder so that the target compiles before its owner fills it; delete when the module has real files.
enum _NewsMonitorPlaceholder {}
