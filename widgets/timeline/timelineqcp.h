#pragma once

// QCustomPlot for the timeline. Its header uses `foreach` in two inline templates, and the project
// builds with QT_NO_FOREACH (Hotspot's defines), which leaves `foreach` undefined: give it a plain
// range-for for the length of the include. Include this instead of <qcustomplot.h>.
#include <QtGlobal>

#ifndef foreach
#define POOLSCOPE_TIMELINE_FOREACH
#define foreach(variable, container) for (variable : container)
#endif
#include <qcustomplot.h>
#ifdef POOLSCOPE_TIMELINE_FOREACH
#undef foreach
#undef POOLSCOPE_TIMELINE_FOREACH
#endif
