"""Uploaded files (`codemod/transforms/files.py`): which uploads are sent inline, with which mime
type, and why the others stay on genai. Whole programs are in `tests/fixtures/files_*`."""

from __future__ import annotations

import mimetypes

import libcst as cst
import pytest

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import Options
from codemod.migrate import migrate_source
from codemod.transforms.files import EXTENSION_TYPES, Inline, Kept, uploads
from codemod.transforms.parts import blob_kind

HEADER = "import os\nimport pathlib\nimport time\nimport google.generativeai as genai\nmodel = genai.GenerativeModel('m')\n"
SEND = "model.generate_content(['Describe', f])\n"


def _upload(source: str) -> Inline | Kept:
    """What becomes of the one upload of `HEADER + source`."""
    analysis = ModuleAnalysis.of(cst.parse_module(HEADER + source))
    (decided,) = uploads(analysis).values()
    return decided


@pytest.mark.parametrize("extension", sorted(EXTENSION_TYPES))
def test_extensions_map_as_genai_guessed(extension: str) -> None:
    """genai's own rule (mimetypes, with .webp added by genai) gives the same OpenAI part, and for
    images (whose data URL names the type) the same type."""
    pytest.importorskip("google.generativeai.files")
    for name in (f"x{extension}", f"dir/X{extension.upper()}"):
        guessed, _ = mimetypes.guess_type(name)
        assert guessed is not None and blob_kind(guessed) == blob_kind(EXTENSION_TYPES[extension])
        if guessed.startswith("image/"):
            assert guessed == EXTENSION_TYPES[extension]


@pytest.mark.parametrize(
    ("upload", "mime_type"),
    [
        ("f = genai.upload_file('organ.jpg')\n", "image/jpeg"),
        ("f = genai.upload_file(path=pathlib.Path(__file__).parent / 'organ.JPG')\n", "image/jpeg"),
        ("media = pathlib.Path('m')\nf = genai.upload_file(media / 'audio' / 'clip.wav')\n", "audio/x-wav"),
        ("f = genai.upload_file(os.path.join(os.getcwd(), 'song.mp3'))\n", "audio/mpeg"),
        ("f = genai.upload_file(pathlib.Path('docs', 'report.pdf'))\n", "application/pdf"),
        ("f = genai.upload_file(pathlib.Path('docs').joinpath('a.webp'))\n", "image/webp"),
        ("f = genai.upload_file(f'{os.getcwd()}/shots/a.png')\n", "image/png"),
        ("f = genai.upload_file(os.getcwd() + '/frame_1.gif')\n", "image/gif"),
        ("name = 'a.png'\nf = genai.upload_file(name)\n", "image/png"),
        ("f = genai.upload_file('photo.heic', mime_type='image/heic')\n", "image/heic"),
        ("f = genai.upload_file('a.png', mime_type=None, display_name='A', resumable=False)\n", "image/png"),
    ],
)
def test_uploads_sent_inline(upload: str, mime_type: str) -> None:
    decided = _upload(upload + SEND)
    assert isinstance(decided, Inline) and decided.mime_type == mime_type


@pytest.mark.parametrize(
    ("function", "mime_type"),
    [
        ("def send(path):\n    f = genai.upload_file(path)\n    " + SEND + "send('a.png')\nsend('b.png')\n", "image/png"),
        ("def send(path: str):\n    f = genai.upload_file(path, mime_type='image/png')\n    " + SEND, "image/png"),
        ("def send(path: pathlib.Path):\n    f = genai.upload_file(path, mime_type='audio/wav')\n    " + SEND, "audio/wav"),
    ],
)
def test_uploads_of_parameters(function: str, mime_type: str) -> None:
    """A path parameter: its callers' literals, or a literal mime type and a path-typed parameter."""
    decided = _upload(function)
    assert isinstance(decided, Inline) and decided.mime_type == mime_type


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("f = genai.upload_file('clip.mp4')\n" + SEND, "video (.mp4)"),
        ("f = genai.upload_file('a.png', mime_type='video/mp4')\n" + SEND, "video (video/mp4)"),
        ("f = genai.upload_file('notes.txt')\n" + SEND, "a .txt file"),
        ("f = genai.upload_file('a.png', mime_type='text/plain')\n" + SEND, "text/plain has no OpenAI content part"),
        ("f = genai.upload_file('README')\n" + SEND, "a file without an extension"),
        ("f = genai.upload_file('photo.heic')\n" + SEND, "pass a literal mime_type="),
        ("f = genai.upload_file('a.png.gz')\n" + SEND, "known only at run time"),
        ("f = genai.upload_file(f'{os.getcwd()}.png')\n" + SEND, "known only at run time"),
        ("def send(path):\n    f = genai.upload_file(path)\n    " + SEND, "known only at run time"),
        ("def send(path):\n    f = genai.upload_file(path)\n    " + SEND + "send('a.png')\nsend('b.jpg')\n", "known only at run time"),
        ("def send(stream):\n    f = genai.upload_file(stream, mime_type='image/png')\n    " + SEND, "may be a file object"),
        ("kind = input()\nf = genai.upload_file('a.png', mime_type=kind)\n" + SEND, "mime_type is not a literal"),
        ("f = genai.upload_file('a.png', name='files/organ')\n" + SEND, "name= names the file"),
        ("f = genai.upload_file(*['a.png'])\n" + SEND, "arguments genai2openai cannot read"),
        ("f = genai.upload_file('a.png')\n" + SEND + "print(genai.list_files())\n", "lists the files"),
        ("f = genai.upload_file('a.png')\nprint(f.uri)\n" + SEND, "`f.uri` is read, and inline data has no URI"),
        ("f = genai.upload_file('a.png')\nprint(f)\n" + SEND, "passed to print()"),
        ("f = genai.upload_file('a.png')\nprint(f'{f=}')\n" + SEND, "formatted into a string"),
        ("def up():\n    return genai.upload_file('a.png')\n", "returned"),
        ("genai.upload_file('a.png')\n", "not used here"),
        ("parts = ['Describe', genai.upload_file('a.png')]\nmodel.generate_content(parts)\n", "put in a list"),
        ("f = genai.upload_file('a.png')\nif input():\n    f = 'text'\n" + SEND, "may also hold something else"),
        ("pathlib = None\nf = genai.upload_file('a.png')\n" + SEND, "binds `pathlib`"),
    ],
)
def test_uploads_that_stay_on_genai(source: str, reason: str) -> None:
    upload = _upload(source)
    assert isinstance(upload, Kept) and reason in upload.reason


LOOP = "while f.state.name == 'PROCESSING':\n    time.sleep(1)\n    f = genai.get_file(f.name)\n"


@pytest.mark.parametrize(
    "upkeep",
    [
        LOOP,
        "while f.state.name == 'PROCESSING':\n    print('.', end='', flush=True)\n    time.sleep(2)\n    f = genai.get_file(name=f.name)\n",
        "if f.state.name == 'FAILED':\n    raise ValueError(f.state.name)\n",
        "if f.state.name != 'ACTIVE':\n    raise Exception(f'{f.name} failed')\n",
        "genai.delete_file(f.name)\n",
        "genai.delete_file(f)\n",
        "f.delete()\n",
    ],
)
def test_what_only_an_uploaded_file_needed_goes(upkeep: str) -> None:
    """The program migrates as if it had never waited for, checked or deleted the file."""
    upload, send = "f = genai.upload_file('a.png')\n", "print(model.generate_content(['Describe', f]).text)\n"
    without = migrate_source(HEADER + upload + send, Options(), path="t.py").source
    assert 'f = {"mime_type": "image/png", "data": pathlib.Path(\'a.png\').read_bytes()}\n' in without
    assert migrate_source(HEADER + upload + upkeep + send, Options(), path="t.py").source == without


@pytest.mark.parametrize(
    "upkeep",
    [
        "while f.state.name == 'PROCESSING':\n    time.sleep(1)\n    print(f.state.name)\n    f = genai.get_file(f.name)\n",
        "while f.state.name == 'PROCESSING':\n    time.sleep(1)\n    f = genai.get_file(f.name)\nelse:\n    print('done')\n",
        "while f.state.name == 'PROCESSING':\n    time.sleep(1)\n    f = genai.get_file('files/other')\n",
        "if f.state.name == 'FAILED':\n    raise ValueError('failed')\nelse:\n    print('ok')\n",
        "if f.state.name == 'FAILED':\n    print('failed')\n",
        "done = genai.delete_file(f.name)\n",
    ],
)
def test_other_upkeep_keeps_the_upload(upkeep: str) -> None:
    """Only the exact shapes go: anything else done with the file is a genai file's business."""
    upload = _upload("f = genai.upload_file('a.png')\n" + upkeep + SEND)
    assert isinstance(upload, Kept)


def test_a_kept_upload_keeps_only_its_calls_on_genai() -> None:
    source = HEADER + "v = genai.upload_file('clip.mp4')\nprint(model.generate_content(['What happens?', v]).text)\nprint(model.generate_content('hi').text)\n"
    migrated = migrate_source(source, Options(), path="t.py").source
    assert "print(model_genai.generate_content(['What happens?', v]).text)" in migrated
    assert "client.chat.completions.create(" in migrated


def test_a_file_a_genai_call_sends_stays_uploaded() -> None:
    """genai would get inline bytes instead of the uploaded file: the upload and every call that
    sends it stay on genai, the model's other calls move."""
    source = HEADER + (
        "f = genai.upload_file('a.png')\n"
        "print(model.count_tokens(['Describe', f]))\n"
        "print(model.generate_content(['Describe', f]).text)\n"
        "print(model.generate_content('hi').text)\n"
    )
    result = migrate_source(source, Options(), path="t.py")
    assert "f = genai.upload_file('a.png')\n" in result.source
    assert "print(model_genai.generate_content(['Describe', f]).text)" in result.source
    assert any("a count_tokens(...) call that stays on genai sends it" in f.message for f in result.findings)
