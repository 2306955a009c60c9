#include "timeline/timelineexporter.h"
#include "common/toqstring.h"

#include "timeline/timelineplottable.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>

#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>

#include "timeline/timelineqcp.h"

#include <cmath>

namespace poolscope::widgets {

using namespace poolscope::timeline;

namespace {
// Where the lanes were drawn by the render that just happened, scaled to output pixels.
QVector<QRectF> laneRects(const TimelineView& view, double scale)
{
    QVector<QRectF> rects;
    const int rows = view.data() ? view.data()->rowCount() : 0;
    for (int row = 0; row < rows; ++row) {
        const QRectF r = view.plottable()->rowRect(row);
        rects.push_back(QRectF(r.x() * scale, r.y() * scale, r.width() * scale, r.height() * scale));
    }
    return rects;
}

// Renders the view onto a vector device (SVG, PDF), `scale` device units to a logical pixel, and
// fills `result` in: ok when the file came out non-empty.
void renderVector(QPaintDevice& device, double scale, bool whiteBackground, const TimelineExporter::Painting& paint,
    const QString& path, const TimelineExportOptions& options, TimelineExportResult& result)
{
    QCPPainter painter;
    if (!painter.begin(&device)) {
        result.error = QStringLiteral("cannot write %1").arg(path);
        return;
    }
    painter.setMode(QCPPainter::pmVectorized, true);
    if (whiteBackground)
        painter.fillRect(QRect(QPoint(0, 0), options.size), Qt::white);
    painter.scale(scale, scale);
    paint(&painter, options.size);
    painter.end();
    result.pixelSize = options.size;
    result.ok = QFileInfo(path).size() > 0;
    if (!result.ok)
        result.error = QStringLiteral("cannot write %1").arg(path);
}
} // namespace

std::optional<TimelineExporter::Format> TimelineExporter::formatFor(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return Format::Png;
    if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg"))
        return Format::Jpg;
    if (suffix == QLatin1String("pdf"))
        return Format::Pdf;
    if (suffix == QLatin1String("svg"))
        return Format::Svg;
    return std::nullopt;
}

QString TimelineExporter::titleFor(const trace::Trace& trace)
{
    if (!trace.title.empty())
        return toQString(trace.title);
    if (!trace.scenario.empty())
        return toQString(trace.scenario);
    return QStringLiteral("PoolScope run");
}

QString TimelineExporter::captionFor(const trace::Trace& trace)
{
    QStringList parts;
    if (trace.origin == "cpython")
        parts << (trace.python_version.empty() ? QStringLiteral("CPython")
                                               : QStringLiteral("CPython ") + toQString(trace.python_version));
    if (!trace.scenario.empty())
        parts << QStringLiteral("scenario ") + toQString(trace.scenario);
    if (!trace.parameters.empty()) {
        QStringList params;
        for (const auto& [name, value] : trace.parameters)
            params << toQString(name) + QLatin1Char('=') + toQString(value);
        parts << params.join(QStringLiteral(", "));
    }
    if (!trace.pool_kind.empty() || trace.max_workers > 0) {
        QString pool
            = trace.pool_kind.empty() ? QStringLiteral("pool") : toQString(trace.pool_kind) + QStringLiteral(" pool");
        if (trace.max_workers > 0)
            pool += QStringLiteral(", max_workers=") + QString::number(trace.max_workers);
        parts << pool;
    }
    if (!trace.started_at.empty()) {
        QString when = toQString(trace.started_at);
        when.replace(QLatin1Char('T'), QLatin1Char(' '));
        if (when.endsWith(QLatin1Char('Z')))
            when = when.left(when.size() - 1) + QStringLiteral(" UTC");
        parts << when;
    }
    if (!trace.host.empty())
        parts << toQString(trace.host);
    if (trace.wall_time.count() > 0)
        parts << QStringLiteral("wall time %1 ms").arg(static_cast<double>(trace.wall_time.count()) / 1e6, 0, 'f', 1);
    return parts.join(QStringLiteral("  ·  "));
}

namespace {
QImage paintImage(const TimelineExporter::Painting& paint, const TimelineExportOptions& options, TimelineExportResult* result)
{
    const double scale = options.scale > 0 ? options.scale : 1.0;
    const QSize pixels(static_cast<int>(std::lround(options.size.width() * scale)),
        static_cast<int>(std::lround(options.size.height() * scale)));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        if (result)
            result->error = QStringLiteral("cannot allocate a %1×%2 image").arg(pixels.width()).arg(pixels.height());
        return image;
    }
    image.fill(Qt::white);
    {
        QCPPainter painter(&image);
        painter.setRenderHint(QPainter::TextAntialiasing, true);
        painter.scale(scale, scale);
        paint(&painter, options.size);
    }
    if (result)
        result->pixelSize = pixels;
    return image;
}
} // namespace

QImage TimelineExporter::renderImage(
    TimelineView& view, const TimelineExportOptions& options, TimelineExportResult* result)
{
    QImage image = paintImage([&view](QCPPainter* painter, const QSize& size) { view.render(painter, size); }, options, result);
    if (result && !image.isNull())
        result->laneRects = laneRects(view, options.scale > 0 ? options.scale : 1.0);
    return image;
}

TimelineExportResult TimelineExporter::exportView(
    TimelineView& view, const QString& path, const TimelineExportOptions& options)
{
    const QString oldTitle = view.title();
    const QString oldCaption = view.caption();
    const bool oldLegend = view.isLegendVisible();
    if (!options.title.isEmpty())
        view.setTitle(options.title);
    if (!options.caption.isEmpty())
        view.setCaption(options.caption);
    view.setLegendVisible(options.legend);

    TimelineExportResult result = exportPainting(
        path, options, [&view](QCPPainter* painter, const QSize& size) { view.render(painter, size); }, view.title(),
        view.caption());
    if (result.ok) {
        const auto format = formatFor(path);
        const bool raster = format == Format::Png || format == Format::Jpg;
        result.laneRects = laneRects(view, raster && options.scale > 0 ? options.scale : 1.0);
    }

    view.setTitle(oldTitle);
    view.setCaption(oldCaption);
    view.setLegendVisible(oldLegend);
    return result;
}

TimelineExportResult TimelineExporter::exportPainting(const QString& path, const TimelineExportOptions& options,
    const Painting& paint, const QString& title, const QString& description)
{
    TimelineExportResult result;
    const auto format = formatFor(path);
    if (!format) {
        result.error = QStringLiteral("unknown export format for %1: use .png, .jpg, .pdf or .svg").arg(path);
        return result;
    }
    if (options.size.width() < 100 || options.size.height() < 100) {
        result.error
            = QStringLiteral("export size %1×%2 is too small").arg(options.size.width()).arg(options.size.height());
        return result;
    }
    switch (*format) {
    case Format::Png:
    case Format::Jpg: {
        QImage image = paintImage(paint, options, &result);
        if (image.isNull())
            break;
        // Opaque anyway: without an alpha channel the encoders have a quarter less to compress.
        image = image.convertToFormat(QImage::Format_RGB32);
        const char* kind = *format == Format::Png ? "PNG" : "JPG";
        if (!image.save(path, kind, *format == Format::Jpg ? options.jpegQuality : options.pngQuality))
            result.error = QStringLiteral("cannot write %1").arg(path);
        else
            result.ok = true;
        break;
    }
    case Format::Svg: {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(options.size);
        generator.setViewBox(QRect(QPoint(0, 0), options.size));
        generator.setResolution(96);
        generator.setTitle(title);
        generator.setDescription(description);
        renderVector(generator, 1.0, true, paint, path, options, result);
        break;
    }
    case Format::Pdf: {
        QPdfWriter writer(path);
        writer.setResolution(96);
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("PoolScope"));
        // One page exactly the size of the plot: 96 px to the inch, 72 points to the inch.
        writer.setPageSize(
            QPageSize(QSizeF(options.size) * 72.0 / 96.0, QPageSize::Point, QString(), QPageSize::ExactMatch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        renderVector(
            writer, static_cast<double>(writer.width()) / options.size.width(), false, paint, path, options, result);
        break;
    }
    }
    return result;
}

TimelineExportResult TimelineExporter::exportTrace(
    const trace::Trace& trace, const QString& path, const TimelineExportOptions& options)
{
    const TimelineData data = TimelineData::fromTrace(trace);
    TimelineView view;
    view.resize(options.size);
    view.setData(&data);
    const int axisOwner = 0; // the export's own extent in the view's viewport, beside the data's
    if (options.axisEndNs) {
        view.viewport()->setExtent(&axisOwner, 0, *options.axisEndNs);
        view.viewport()->fit(timeline::Viewport::Cause::Program);
    }
    TimelineExportOptions effective = options;
    if (effective.title.isEmpty())
        effective.title = titleFor(trace);
    if (effective.caption.isEmpty())
        effective.caption = captionFor(trace);
    TimelineExportResult result = exportView(view, path, effective);
    view.viewport()->removeExtent(&axisOwner);
    view.setData(nullptr);
    return result;
}

} // namespace poolscope::widgets
