#pragma once

#include <poolscope/trace/trace.h>

#include <QImage>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QVector>

#include <functional>
#include <optional>

class QCPPainter;

namespace poolscope::widgets {

class TimelineView;

/// What to export: the size in logical pixels, the raster scale (2 for slides: a 1920×1080 export at
/// scale 2 is a 3840×2160 image with everything twice as large), title and caption.
struct TimelineExportOptions {
    QSize size { 1920, 1080 };
    double scale = 1.0; ///< raster formats only; vector formats are resolution-free
    QString title; ///< above the plot; exportTrace() fills an empty one from the trace
    QString caption; ///< under the legend; exportTrace() fills an empty one from the trace
    int jpegQuality = 92;
    /// PNG: Qt's quality scale, 0 = smallest file … 100 = fastest. Flat colours compress well even
    /// at fast settings; zlib's default level would spend most of an export's time compressing.
    int pngQuality = 80;
    bool legend = true;
    /// exportTrace(): where the time axis ends (ns since the run started), when not at the trace's
    /// own end: a moment of a run (trace_at()) keeps the whole run's axis, so that frames line up.
    std::optional<double> axisEndNs;
};

/// How an export went, and where the lanes ended up in the output (raster pixels; for vector formats
/// the same coordinates at scale 1), which the tests use to check lane colours.
struct TimelineExportResult {
    bool ok = false;
    QString error;
    QSize pixelSize; ///< raster: size × scale; vector: size
    QVector<QRectF> laneRects; ///< by row, caller lane first
};

/// Renders a timeline to PNG, JPG, PDF or SVG (chosen by the file suffix), offscreen: no window is
/// shown, so the headless `poolscope run <id> --export out.png` can use it (it needs a QApplication;
/// QT_QPA_PLATFORM=offscreen works).
class TimelineExporter {
public:
    enum class Format { Png, Jpg, Pdf, Svg };

    /// The format for a file name's suffix (.png, .jpg / .jpeg, .pdf, .svg), case-insensitive.
    static std::optional<Format> formatFor(const QString& path);
    /// "Scenario title" or the scenario id, for the export's title.
    static QString titleFor(const trace::Trace& trace);
    /// "scenario map · tasks=5, workers=2 · thread pool, max_workers=2 · 2024-05-01 12:00:00 UTC · host ·
    /// wall time 512 ms": what was run, with which parameters, when.
    static QString captionFor(const trace::Trace& trace);

    /// Exports what the view shows (its visible range and selection) at the options' size.
    static TimelineExportResult exportView(
        TimelineView& view, const QString& path, const TimelineExportOptions& options);
    /// Builds the timeline of a trace and exports it fitted; title and caption default to the trace's.
    static TimelineExportResult exportTrace(
        const trace::Trace& trace, const QString& path, const TimelineExportOptions& options = {});
    /// Draws `paint(painter, size)` into `path` in the format its suffix names, as exportView() does
    /// for a view: for any drawing of timelines (a comparison of runs). `title` and `description`
    /// go into a PDF's or SVG's metadata. Fills in ok, error and pixelSize, not laneRects.
    using Painting = std::function<void(QCPPainter* painter, const QSize& size)>;
    static TimelineExportResult exportPainting(const QString& path, const TimelineExportOptions& options,
        const Painting& paint, const QString& title = {}, const QString& description = {});
    /// The raster image exportView() would write, without writing it.
    static QImage renderImage(
        TimelineView& view, const TimelineExportOptions& options, TimelineExportResult* result = nullptr);
};

} // namespace poolscope::widgets
