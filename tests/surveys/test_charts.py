"""Result charts are drawn for a phone: 720 px wide (shown about 360 px wide), type that reads
at that size, every label inside the picture (wrapped, never cut), the mean or NPS under the
title; and /results sends them as photos."""

from __future__ import annotations

import io
import warnings

import pytest
from matplotlib import pyplot
from matplotlib.text import Text
from PIL import Image

from bot.charts import Bars, bar_chart, draw
from tests.factories import add_member
from tests.harness import Harness
from tests.surveys.test_surveys import COORDINATOR, _answer_all, _launch

LONG = Bars(
    title="3. ¿Qué temas quieres que el clúster trabaje con tu organización durante el próximo "
    "año, pensando en tus clientes y proveedores?",
    labels=[
        "Certificación IATF 16949 y auditorías de clientes de primer nivel",
        "Desarrollo de proveedores locales para Nissan Mexicana y sus Tier-1",
        "Electromovilidad",
        "Hiperautomatizacióndelíneasdeensambleconrobóticacolaborativa",  # one very long word
    ],
    counts=[14, 22, 9, 2],
    people=40,
)
NPS = Bars(
    title="4. ¿Qué tan probable es que recomiendes el clúster a un colega?",
    labels=[str(v) for v in range(11)],
    counts=[1, 0, 0, 2, 1, 3, 4, 8, 12, 15, 9],
    headline="NPS: +20",
    people=55,
    colors=("#cf222e",) * 7 + ("#8c959f",) * 2 + ("#1a7f37",) * 2,
    legend="0–6 detractores · 7–8 pasivos · 9–10 promotores",
)
SCALE = Bars(
    title="1. ¿Qué tan avanzada está la digitalización de tu planta?",
    labels=["1", "2", "3", "4", "5"],
    counts=[0, 0, 1, 1, 1],
    headline="Promedio: 4.00",
    people=3,
)

JAPANESE = Bars(  # Japanese has no spaces: long labels wrap between characters
    title="2. 来年、クラスターが貴社と取り組むべきテーマは何ですか？取引先を念頭にお答えください。",
    labels=[
        "IATF 16949認証と一次取引先による監査への対応",
        "日産メキシカーナおよびTier-1向けの地場サプライヤー育成プログラム",
        "電動化",
    ],
    counts=[14, 22, 9],
    headline="平均: 4.20",
    people=40,
    legend="0〜6 批判者 · 7〜8 中立者 · 9〜10 推奨者",
)


@pytest.mark.parametrize(
    "bars", [LONG, NPS, SCALE, JAPANESE], ids=["long labels", "nps", "scale", "japanese"]
)
def test_chart_is_phone_sized_and_nothing_is_cut(bars: Bars) -> None:
    png = bar_chart(bars)
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    assert width == 720  # shown about 360 px wide in a phone's chat
    assert 300 <= height <= 1100
    assert len(png) < 150_000  # a photo Telegram takes as it is

    figure = draw(bars)
    try:
        figure.set_dpi(200)  # the dpi of the PNG, so extents are in its pixels
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        bounds = figure.bbox
        texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
        shown = " ".join(t.get_text() for t in texts)
        for label in bars.labels:  # every label is drawn whole (wrapped lines joined)
            assert label in shown.replace("\n", " ") or label in "".join(shown.split())
        if bars.headline:
            assert bars.headline in shown
        for text in texts:
            box = text.get_window_extent(renderer)
            assert box.x0 >= bounds.x0 - 0.5 and box.x1 <= bounds.x1 + 0.5, text.get_text()
            assert box.y0 >= bounds.y0 - 0.5 and box.y1 <= bounds.y1 + 0.5, text.get_text()
            # at 360 px wide a point is 100/72 px: 9 pt is 12.5 px, comfortably readable
            assert text.get_fontsize() >= 9, text.get_text()
    finally:
        pyplot.close(figure)


def test_japanese_is_drawn_not_boxes() -> None:
    """DejaVu Sans has no Japanese; the bot's fonts (bot/fonts.py) fall back to IPAexGothic."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bar_chart(JAPANESE)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]


def test_japanese_wraps_between_characters_as_japanese_is_set() -> None:
    """No spaces to break at: the title goes on from its number, and no line starts with a
    closing mark, a small kana or the long vowel mark (kinsoku)."""
    figure = draw(JAPANESE)
    try:
        lines = [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]
    finally:
        pyplot.close(figure)
    assert lines[0].startswith("2. 来年")
    title = lines[: lines.index(JAPANESE.headline)]
    assert len(title) > 1 and "".join(title) == JAPANESE.title
    assert not [line for line in lines if line[:1] in set("、。）ーぃっャ")], lines


def test_the_headline_sits_right_under_the_title() -> None:
    figure = draw(SCALE)
    try:
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        texts = {t.get_text(): t for t in figure.findobj(Text) if t.get_text().strip()}
        headline = texts["Promedio: 4.00"].get_window_extent(renderer)
        others = [
            t.get_window_extent(renderer)
            for text, t in texts.items()
            if text != "Promedio: 4.00" and not text.startswith(("1. ", "digitalización"))
        ]
        assert headline.y1 > max(box.y1 for box in others)  # above the columns and counts
        assert headline.x0 < figure.bbox.width * 0.1  # at the left, where reading starts
    finally:
        pyplot.close(figure)


async def test_results_send_phone_charts(harness: Harness) -> None:
    await add_member(harness.db, 101)
    survey_id = await _launch(harness)
    await harness.drain()
    await _answer_all(harness, harness.person(user_id=101))
    replies = await harness.person(user_id=COORDINATOR).send(f"/results {survey_id}")
    photos = [c.files["photo"][1] for c in replies.calls if c.method == "sendPhoto"]
    assert photos
    for png in photos:
        with Image.open(io.BytesIO(png)) as image:
            assert image.size[0] == 720
