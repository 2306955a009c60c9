#pragma once

// What the widget tests share: showing a widget offscreen and waiting for it, and mouse input sent
// straight to a widget. Helpers return bool instead of using QVERIFY themselves, so that the caller
// writes QVERIFY(helper(...)) and a failure stops the test there instead of letting it carry on.
#include <QCoreApplication>
#include <QMouseEvent>
#include <QSize>
#include <QTest>
#include <QWidget>

namespace poolscope::widget_test {

/// Resizes and shows `widget`, waits until it is exposed and lets it lay out. False if it never was.
[[nodiscard]] inline bool showExposed(QWidget& widget, QSize size)
{
    widget.resize(size);
    widget.show();
    if (!QTest::qWaitForWindowExposed(&widget))
        return false;
    QCoreApplication::processEvents();
    return true;
}

inline void sendMouse(QWidget* target, QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
    Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent event(type, pos, target->mapToGlobal(pos), button, buttons, modifiers);
    QCoreApplication::sendEvent(target, &event);
}

/// Press at `from`, two moves, release at `to`.
inline void drag(
    QWidget* target, QPointF from, QPointF to, Qt::MouseButton button, Qt::KeyboardModifiers modifiers = {})
{
    sendMouse(target, QEvent::MouseButtonPress, from, button, button, modifiers);
    sendMouse(target, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, button, modifiers);
    sendMouse(target, QEvent::MouseMove, to, Qt::NoButton, button, modifiers);
    sendMouse(target, QEvent::MouseButtonRelease, to, button, Qt::NoButton, modifiers);
}

inline void click(QWidget* target, QPointF pos)
{
    sendMouse(target, QEvent::MouseButtonPress, pos, Qt::LeftButton, Qt::LeftButton);
    sendMouse(target, QEvent::MouseButtonRelease, pos, Qt::LeftButton, Qt::NoButton);
}

} // namespace poolscope::widget_test
