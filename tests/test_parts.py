"""Non-text parts: the helpers the migration emits encode exactly what google.generativeai sent,
and an image sent through the loopback server decodes to the same picture.

The round trips run a fixture's migrated program (``tests/fixtures/parts_*``) against the
loopback server with ``run_fixture`` of ``test_execute_fixtures``, then decode every data URL the
server recorded and compare it with the pictures the program saved in its working directory and
with the ``Blob`` genai's own ``to_part`` makes of them.

Until ``generate.py`` hands ``user_messages`` a helper collector, the migrated fixtures wait in
``tests/fixtures_pending`` (their ``expected.py`` already runs) and the tests that migrate a whole
file are skipped.
"""

from __future__ import annotations

import base64
import binascii
import io
from pathlib import Path
from typing import Any, Callable

import libcst as cst
import libcst.matchers as m
import pytest
from loopback import LoopbackServer
from test_execute_fixtures import FIXTURES, run_fixture

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import Options
from codemod.migrate import migrate_source
from codemod.transforms.contents import user_messages
from codemod.transforms.parts import (
    BLOB_HELPER,
    BLOB_HELPER_SOURCE,
    IMAGE_HELPER,
    IMAGE_HELPER_SOURCE,
    blob_kind,
)
from codemod.transforms.plan import Unsupported

Image = pytest.importorskip("PIL.Image")
content_types = pytest.importorskip("google.generativeai.types.content_types")


def _helper(source: str, name: str) -> Callable[..., dict[str, Any]]:
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # the emitted source, as is
    return namespace[name]


def _fixture(name: str) -> Path:
    """A fixture folder, wherever it is while it waits for generate.py (see the docstring)."""
    folder = FIXTURES / name
    return folder if folder.is_dir() else FIXTURES.parent / "fixtures_pending" / name


EMITS_HELPERS = "def _genai2openai_image_part(" in migrate_source(
    "import google.generativeai as genai\nimport PIL.Image\n"
    "print(genai.GenerativeModel('m').generate_content(PIL.Image.open('a.png')).text)\n",
    Options(),
    path="probe.py",
).source
needs_generate = pytest.mark.skipif(not EMITS_HELPERS, reason="generate.py does not pass helpers to user_messages yet")

image_part = _helper(IMAGE_HELPER_SOURCE, IMAGE_HELPER)
blob_part = _helper(BLOB_HELPER_SOURCE, BLOB_HELPER)


def _data_url(url: str) -> tuple[str, bytes]:
    header, _, data = url.partition(",")
    assert header.startswith("data:") and header.endswith(";base64"), url[:40]
    return header[len("data:") : -len(";base64")], base64.b64decode(data, validate=True)


def _genai_blob(value: Any) -> tuple[str, bytes]:
    blob = content_types.to_part(value).inline_data
    return blob.mime_type, bytes(blob.data)


def _pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as picture:
        return picture.mode, picture.size, picture.tobytes()


# ----------------------------------------------------------------- helpers vs genai
def _pictures(folder: Path) -> dict[str, Any]:
    gradient = Image.new("RGB", (8, 8))
    gradient.putdata([(x * 32, y * 32, 128) for y in range(8) for x in range(8)])
    gradient.save(folder / "gradient.png")
    gradient.save(folder / "gradient.jpg")
    opened = Image.open(folder / "gradient.png")
    return {
        "png file": Image.open(folder / "gradient.png"),
        "jpeg file": Image.open(folder / "gradient.jpg"),
        "in memory": gradient,
        "converted": opened.convert("L"),
        "from a stream": Image.open(io.BytesIO((folder / "gradient.png").read_bytes())),
        "file deleted since": _deleted(folder / "gone.png", gradient),
    }


def _deleted(path: Path, picture: Any) -> Any:
    picture.save(path)
    opened = Image.open(path)
    opened.load()
    path.unlink()
    return opened


@pytest.mark.parametrize("kind", ["png file", "jpeg file", "in memory", "converted", "from a stream", "file deleted since"])
def test_image_helper_sends_what_genai_sent(kind: str, tmp_path: Path) -> None:
    """File bytes and the file's mime type for an opened file, lossless WebP otherwise."""
    picture = _pictures(tmp_path)[kind]
    part = image_part(picture)
    assert part["type"] == "image_url" and set(part) == {"type", "image_url"}
    assert _data_url(part["image_url"]["url"]) == _genai_blob(picture)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01binary\xff",
        base64.b64encode(bytes(range(256))).decode(),
        base64.urlsafe_b64encode(bytes(range(256))).decode(),
        base64.urlsafe_b64encode(b"\xfb\xff\xfe?").decode().rstrip("="),
        base64.encodebytes(bytes(range(100))).decode(),
        "YWI=",
        "",
    ],
    ids=["bytes", "base64", "urlsafe", "unpadded", "with newlines", "padded", "empty"],
)
def test_blob_helper_decodes_str_as_genai_did(data: bytes | str) -> None:
    """bytes are sent as they are; a str is base64 that genai decoded (never encoded twice)."""
    part = blob_part("image/png", data)
    assert _data_url(part["image_url"]["url"]) == _genai_blob({"mime_type": "image/png", "data": data})


def test_blob_helper_rejects_what_genai_rejected() -> None:
    with pytest.raises((binascii.Error, ValueError)):
        _genai_blob({"mime_type": "image/png", "data": "a"})
    with pytest.raises((binascii.Error, ValueError)):
        blob_part("image/png", "a")


@pytest.mark.parametrize(
    "mime_type",
    ["image/png", "image/jpeg", "image/webp", "image/heic", "audio/wav", "audio/x-wav", "audio/wave",
     "audio/mp3", "audio/mpeg", "application/pdf", "video/mp4", "audio/ogg", "text/plain"],
)
def test_blob_kind_matches_the_helper(mime_type: str) -> None:
    """The migration's static choice and the emitted helper agree on every mime type."""
    kind = blob_kind(mime_type)
    if kind is None:
        with pytest.raises(ValueError):
            blob_part(mime_type, b"x")
        return
    part = blob_part(mime_type, b"x")
    assert part["type"] == kind
    encoded = base64.b64encode(b"x").decode()
    if kind == "input_audio":
        assert part["input_audio"] == {"data": encoded, "format": "mp3" if "mp" in mime_type else "wav"}
    elif kind == "file":
        assert part["file"] == {"file_data": f"data:application/pdf;base64,{encoded}"}
    else:
        assert part["image_url"] == {"url": f"data:{mime_type};base64,{encoded}"}


@pytest.mark.parametrize("source", [IMAGE_HELPER_SOURCE, BLOB_HELPER_SOURCE])
def test_helpers_use_the_standard_library_only(source: str) -> None:
    imports = m.findall(cst.parse_module(source), m.Import() | m.ImportFrom())
    modules = {cst.Module([]).code_for_node(alias.name) for node in imports for alias in node.names}  # type: ignore[union-attr]
    assert modules <= {"base64", "io", "pathlib"}
    assert not any(isinstance(node, cst.ImportFrom) for node in imports)


# ----------------------------------------------------------------- round trip through the loopback
def _image_urls(server: LoopbackServer) -> list[str]:
    return [
        part["image_url"]["url"]
        for request in server.requests
        for message in request.json["messages"]
        if isinstance(message["content"], list)
        for part in message["content"]
        if part["type"] == "image_url"
    ]


def test_pil_image_round_trip(loopback: LoopbackServer, tmp_path: Path) -> None:
    """An image sent as a data URL decodes to the same picture: the saved file's own bytes, and
    the in-memory gradient as lossless WebP; both exactly the Blob genai made of them."""
    run_fixture(_fixture("parts_pil_image"), loopback, tmp_path)
    file_url, gradient_url = _image_urls(loopback)
    saved = tmp_path / "picture.png"
    mime_type, data = _data_url(file_url)
    assert (mime_type, data) == ("image/png", saved.read_bytes())
    assert _pixels(data) == _pixels(saved.read_bytes()) == ("RGB", (4, 3), bytes([200, 30, 60] * 12))
    assert (mime_type, data) == _genai_blob(Image.open(saved))

    gradient = Image.new("RGB", (8, 8))
    gradient.putdata([(x * 32, y * 32, 128) for y in range(8) for x in range(8)])
    mime_type, data = _data_url(gradient_url)
    assert mime_type == "image/webp"
    assert _pixels(data) == ("RGB", (8, 8), gradient.tobytes())
    assert (mime_type, data) == _genai_blob(gradient)


def test_history_images_round_trip(loopback: LoopbackServer, tmp_path: Path) -> None:
    """Images in role/parts turns and behind an `Image.Image` parameter keep their pixels."""
    run_fixture(_fixture("parts_image_and_text"), loopback, tmp_path)
    first, blue, white = _image_urls(loopback)
    assert _data_url(first) == _data_url(white) == ("image/png", (tmp_path / "white.png").read_bytes())
    assert _pixels(_data_url(white)[1]) == ("L", (2, 2), bytes([255] * 4))
    mime_type, data = _data_url(blue)
    assert mime_type == "image/webp"  # .convert() made a new image without a file
    assert _pixels(data) == ("RGB", (2, 2), bytes([0, 0, 255] * 4))
    assert (mime_type, data) == _genai_blob(Image.open(tmp_path / "blue.png").convert("RGB"))


# ----------------------------------------------------------------- the transform
def _contents(source: str) -> tuple[cst.BaseExpression, ModuleAnalysis]:
    module = cst.parse_module(source)
    analysis = ModuleAnalysis.of(module)
    call = m.findall(module, m.Call(func=m.Attribute(attr=m.Name("generate_content"))))[0]
    assert isinstance(call, cst.Call)
    return call.args[0].value, analysis


HEADER = "import google.generativeai as genai\nfrom PIL import Image\nmodel = genai.GenerativeModel('m')\n"


def test_media_needs_a_helper_collector() -> None:
    """Callers that do not collect helpers keep the old behaviour: images are not migrated."""
    contents, analysis = _contents(HEADER + "model.generate_content(['a', Image.open('x.png')])\n")
    with pytest.raises(Unsupported):
        user_messages(contents, analysis)
    helpers: dict[str, str] = {}
    messages = user_messages(contents, analysis, helpers)
    assert list(helpers) == [IMAGE_HELPER]
    assert cst.Module([]).code_for_node(messages[0].value) == (
        '{"role": "user", "content": [{"type": "text", "text": \'a\'}, _genai2openai_image_part(Image.open(\'x.png\'))]}'
    )


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("model.generate_content(['a', 3])\n", "neither text nor an image"),
        ("def f(x):\n    model.generate_content(['a', x])\nf(genai.upload_file('a.png'))\n", "genai.upload_file"),
        ("model.generate_content([{'mime_type': 'video/mp4', 'data': b''}])\n", "video"),
        ("t = 'image/png'\nt = input()\nmodel.generate_content([{'mime_type': t, 'data': b''}])\n", "not a literal"),
        ("p = {'mime_type': 'image/png', 'data': b''}\np['mime_type'] = 'video/mp4'\nmodel.generate_content([p])\n", "changed or used elsewhere"),
        ("f = genai.get_file('files/x')\nmodel.generate_content(['a', f])\n", "genai.get_file"),
        ("model.generate_content([{'file_data': {'file_uri': 'u'}}])\n", "file_data"),
        ("model.generate_content([{'role': 'model', 'parts': [Image.new('RGB', (1, 1))]}])\n", '"model" turn'),
    ],
)
def test_parts_that_stay_on_genai(source: str, reason: str) -> None:
    contents, analysis = _contents(HEADER + source)
    with pytest.raises(Unsupported, match=reason.replace("(", r"\(")):
        user_messages(contents, analysis, {})


def test_a_blob_variable_alone_or_in_lists() -> None:
    """A dict only ever sent (alone or in lists of parts) is read at the call, as genai did."""
    source = "photo = {'mime_type': 'image/png', 'data': b'x'}\nmodel.generate_content(photo)\nmodel.generate_content(['a', photo])\n"
    contents, analysis = _contents(HEADER + source)
    helpers: dict[str, str] = {}
    messages = user_messages(contents, analysis, helpers)
    assert list(helpers) == [BLOB_HELPER]
    assert cst.Module([]).code_for_node(messages[0].value) == (
        '{"role": "user", "content": [_genai2openai_blob_part(photo["mime_type"], photo["data"])]}'
    )
    calls = m.findall(analysis.module, m.Call(func=m.Attribute(attr=m.Name("generate_content"))))
    user_messages(calls[1].args[0].value, analysis, helpers)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "source",
    [
        "def f(x):\n    model.generate_content(x)\n",
        "def f(x):\n    model.generate_content(['a', x])\n",
        "class Image:\n    open = staticmethod(str)\nmodel.generate_content(['a', Image.open('x')])\n",
        "p = genai.protos.Part(text='a')\nmodel.generate_content(['a', p])\n",
        "turns = [{'role': r, 'parts': [t]} for r, t in pairs]\nmodel.generate_content(turns)\n",
    ],
)
def test_contents_of_unprovable_type_are_converted_at_run_time(source: str) -> None:
    """The whole of `contents` goes to the runtime conversion, which emits its helpers."""
    contents, analysis = _contents(HEADER + source)
    helpers: dict[str, str] = {}
    messages = user_messages(contents, analysis, helpers)
    assert len(messages) == 1 and isinstance(messages[0], cst.StarredElement)
    assert cst.Module([]).code_for_node(messages[0].value) == f"_genai2openai_messages({cst.Module([]).code_for_node(contents)})"
    assert {"_genai2openai_messages", "_genai2openai_message", "_genai2openai_part", IMAGE_HELPER, BLOB_HELPER} == set(helpers)


@pytest.mark.parametrize(
    "binding",
    [
        "import PIL.Image\npicture = PIL.Image.open('x.png').resize((2, 2))",
        "from PIL import Image as Picture\npicture = Picture.new('RGB', (1, 1))",
        "def load():\n    return Image.open('x.png')\npicture = load()",
    ],
)
def test_pil_images_are_found_by_qualified_name(binding: str) -> None:
    contents, analysis = _contents(HEADER + binding + "\nmodel.generate_content(('a', picture))\n")
    helpers: dict[str, str] = {}
    user_messages(contents, analysis, helpers)
    assert list(helpers) == [IMAGE_HELPER]


@needs_generate
def test_migrated_file_defines_each_helper_once() -> None:
    source = HEADER + (
        "print(model.generate_content([Image.open('a.png'), {'mime_type': 'audio/wav', 'data': b'x'}]).text)\n"
        "print(model.generate_content([Image.open('b.png'), {'mime_type': 'application/pdf', 'data': b'y'}]).text)\n"
    )
    result = migrate_source(source, Options(), path="x.py").source
    assert result.count(f"def {IMAGE_HELPER}(") == 1 and result.count(f"def {BLOB_HELPER}(") == 1
    assert "import google.generativeai" not in result and "TODO" not in result


@needs_generate
def test_a_second_run_reuses_the_helper_it_emitted() -> None:
    """A file partly migrated before (one model kept, say) already holds the helper: not twice."""
    first = migrate_source(HEADER + "print(model.generate_content(Image.open('a.png')).text)\n", Options(), path="x.py").source
    again = first + HEADER + "print(model.generate_content(Image.open('b.png')).text)\n"
    assert migrate_source(again, Options(), path="x.py").source.count(f"def {IMAGE_HELPER}(") == 1


def test_a_name_clash_keeps_the_call() -> None:
    contents, analysis = _contents(HEADER + f"{IMAGE_HELPER} = None\nmodel.generate_content(Image.open('a.png'))\n")
    with pytest.raises(Unsupported, match="already binds"):
        user_messages(contents, analysis, {})
