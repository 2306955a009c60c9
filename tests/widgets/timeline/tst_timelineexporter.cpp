#include "timeline/timelineexporter.h"
#include "timeline/timelinestyle.h"

#include "timeline_test_support.h"

#include <QApplication>
#include <QFile>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using namespace poolscope;
using namespace poolscope::timeline;
using namespace poolscope::widgets;
using poolscope::timeline_test::ev;

namespace {
// Three workers, one long task each: finished, failed, finished. The caller waits meanwhile.
trace::Trace threeLanes()
{
    trace::Trace t;
    t.scenario = "map";
    t.title = "executor.map over three workers";
    t.parameters = { { "tasks", "3" }, { "workers", "3" } };
    t.pool_kind = "thread";
    t.max_workers = 3;
    t.host = "build-box";
    t.started_at = "2024-05-01T12:00:00Z";
    t.wall_time = std::chrono::milliseconds(10);
    t.lanes = { { 0, "ThreadPoolExecutor-0_0", 0 }, { 1, "ThreadPoolExecutor-0_1", 0 },
        { 2, "ThreadPoolExecutor-0_2", 0 } };
    t.events = {
        ev(0, EventKind::submitted, 1, -1, 0, "(1,)"),
        ev(0, EventKind::submitted, 2, -1, 0, "(2,)"),
        ev(0, EventKind::submitted, 3, -1, 0, "(3,)"),
        ev(100'000, EventKind::started, 1, 0),
        ev(100'000, EventKind::started, 2, 1),
        ev(100'000, EventKind::started, 3, 2),
        ev(200'000, EventKind::caller_blocked, 0, -1, 0, "wait()"),
        ev(9'000'000, EventKind::failed, 2, 1, 0, "RuntimeError"),
        ev(9'500'000, EventKind::finished, 1, 0),
        ev(9'900'000, EventKind::finished, 3, 2),
        ev(9'900'000, EventKind::caller_resumed, 0, -1, 0, "wait()"),
    };
    return t;
}

int countColourOnLine(const QImage& image, int y, int x0, int x1, QRgb colour)
{
    int n = 0;
    for (int x = std::max(0, x0); x < std::min(image.width(), x1); ++x)
        n += (image.pixel(x, y) & 0xffffff) == (colour & 0xffffff);
    return n;
}
} // namespace

class TestTimelineExporter : public QObject {
    Q_OBJECT
private slots:
    void formatFollowsTheSuffix_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("format");
        QTest::newRow("png") << QStringLiteral("a/b.png") << int(TimelineExporter::Format::Png);
        QTest::newRow("jpegUpperCase") << QStringLiteral("b.JPEG") << int(TimelineExporter::Format::Jpg);
        QTest::newRow("pdf") << QStringLiteral("c.pdf") << int(TimelineExporter::Format::Pdf);
        QTest::newRow("svg") << QStringLiteral("d.svg") << int(TimelineExporter::Format::Svg);
        QTest::newRow("unknown") << QStringLiteral("e.bmpx") << -1;
    }
    void formatFollowsTheSuffix()
    {
        QFETCH(QString, path);
        QFETCH(int, format);
        const auto f = TimelineExporter::formatFor(path);
        QCOMPARE(f ? int(*f) : -1, format);
    }

    void writesEachFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("scale");
        QTest::addColumn<QSize>("pixels");
        QTest::newRow("png_1x") << QStringLiteral("t.png") << QSize(800, 500) << 1.0 << QSize(800, 500);
        QTest::newRow("png_2xForSlides") << QStringLiteral("t2.png") << QSize(800, 500) << 2.0 << QSize(1600, 1000);
        QTest::newRow("jpg_1x") << QStringLiteral("t.jpg") << QSize(1024, 600) << 1.0 << QSize(1024, 600);
        QTest::newRow("svg") << QStringLiteral("t.svg") << QSize(800, 500) << 1.0 << QSize(800, 500);
        QTest::newRow("pdf") << QStringLiteral("t.pdf") << QSize(800, 500) << 1.0 << QSize(800, 500);
    }
    void writesEachFormat()
    {
        QFETCH(QString, name);
        QFETCH(QSize, size);
        QFETCH(double, scale);
        QFETCH(QSize, pixels);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(name);
        TimelineExportOptions options;
        options.size = size;
        options.scale = scale;
        const TimelineExportResult result = TimelineExporter::exportTrace(threeLanes(), path, options);
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.pixelSize, pixels);
        QVERIFY(QFile::exists(path));
        const auto format = *TimelineExporter::formatFor(path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray head = file.read(64);
        switch (format) {
        case TimelineExporter::Format::Png:
        case TimelineExporter::Format::Jpg: {
            const QImage image(path);
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), pixels);
            break;
        }
        case TimelineExporter::Format::Svg: {
            QVERIFY(head.contains("<?xml") || head.contains("<svg"));
            QSvgRenderer renderer(path);
            QVERIFY(renderer.isValid());
            QCOMPARE(renderer.viewBox().size(), size);
            break;
        }
        case TimelineExporter::Format::Pdf:
            QVERIFY(head.startsWith("%PDF-"));
            QVERIFY(file.size() > 1000);
            break;
        }
        // Nothing was ever shown: the export is offscreen.
        for (QWidget* w : QApplication::topLevelWidgets())
            QVERIFY(!w->isVisible());
    }

    void laneColoursAppearWhereTheLanesAre_data()
    {
        QTest::addColumn<double>("scale");
        QTest::newRow("1x") << 1.0;
        QTest::newRow("2x") << 2.0;
    }
    void laneColoursAppearWhereTheLanesAre()
    {
        QFETCH(double, scale);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lanes.png"));
        TimelineExportOptions options;
        options.size = QSize(1000, 600);
        options.scale = scale;
        const TimelineExportResult result = TimelineExporter::exportTrace(threeLanes(), path, options);
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.laneRects.size(), 4);
        const QImage image(path);
        const QRgb finished = TimelineStyle::outcomeColor(TimelineOutcome::Finished).rgb();
        const QRgb failed = TimelineStyle::outcomeColor(TimelineOutcome::Failed).rgb();
        const QRgb blocked = TimelineStyle::spanColor(TimelineSpanKind::CallerBlocked).rgb();
        struct Expect {
            int row;
            QRgb present;
            QRgb absent;
        };
        for (const Expect& e : { Expect { 0, blocked, finished }, Expect { 1, finished, failed },
                 Expect { 2, failed, finished }, Expect { 3, finished, failed } }) {
            const QRectF lane = result.laneRects[e.row];
            // Bars sit above the lane's centre; sample a line a little above it.
            const auto g = TimelineStyle::rowGeometry(lane.top() / scale, lane.bottom() / scale);
            const int y = static_cast<int>((g.barTop + (g.barBottom - g.barTop) * 0.8) * scale);
            const int present = countColourOnLine(image, y, int(lane.left()), int(lane.right()), e.present);
            const int absent = countColourOnLine(image, y, int(lane.left()), int(lane.right()), e.absent);
            QVERIFY2(present > lane.width() * 0.6,
                qPrintable(QStringLiteral("row %1: %2 of %3").arg(e.row).arg(present).arg(lane.width())));
            QCOMPARE(absent, 0);
        }
        // The lanes are stacked top to bottom, caller first, and scale with the export.
        for (int row = 1; row < 4; ++row)
            QVERIFY(result.laneRects[row].top() >= result.laneRects[row - 1].bottom() - 1);
    }

    void captionNamesScenarioParametersAndDate()
    {
        const QString caption = TimelineExporter::captionFor(threeLanes());
        QVERIFY2(caption.contains(QStringLiteral("scenario map")), qPrintable(caption));
        QVERIFY(caption.contains(QStringLiteral("tasks=3, workers=3")));
        QVERIFY(caption.contains(QStringLiteral("thread pool, max_workers=3")));
        QVERIFY(caption.contains(QStringLiteral("2024-05-01 12:00:00 UTC")));
        QCOMPARE(TimelineExporter::titleFor(threeLanes()), QStringLiteral("executor.map over three workers"));
    }

    void badRequestsFailCleanly()
    {
        QTemporaryDir dir;
        TimelineExportOptions options;
        const auto unknown
            = TimelineExporter::exportTrace(threeLanes(), dir.filePath(QStringLiteral("x.bmpx")), options);
        QVERIFY(!unknown.ok);
        QVERIFY(!unknown.error.isEmpty());
        options.size = QSize(10, 10);
        const auto tiny = TimelineExporter::exportTrace(threeLanes(), dir.filePath(QStringLiteral("x.png")), options);
        QVERIFY(!tiny.ok);
        options.size = QSize(400, 300);
        const auto unwritable
            = TimelineExporter::exportTrace(threeLanes(), QStringLiteral("/nonexistent/dir/x.png"), options);
        QVERIFY(!unwritable.ok);
    }
};

QTEST_MAIN(TestTimelineExporter)
#include "tst_timelineexporter.moc"
