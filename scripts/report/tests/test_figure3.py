"""The paper's Figure 3 data file: its comment cites the paper (no path
outside the project), and the reader skips the comment lines."""

import os
import re
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)

import figure3  # noqa: E402  (after the path is set)

INPUTS = ["INT8", "FP8-E2", "FP8-E3", "FP8-E4", "FP8-E5"]
ACCUMULATORS = ["fx+12", "fp16", "fp32"]


def comment_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line for line in f if line.startswith("#")]


class PaperFileTest(unittest.TestCase):

    def test_the_comment_cites_the_paper(self):
        comment = "".join(comment_lines(figure3.PAPER_CSV))
        self.assertIn("FP8 versus INT8 for efficient deep learning inference", comment)
        self.assertIn("arXiv:2303.17951", comment)
        self.assertIn("Figure 3", comment)

    def test_no_path_outside_the_project(self):
        # An absolute path or a climb out of the tree in the data file or the
        # scripts would point at something a clone does not have.
        outside = re.compile(r"(^|[\s\"'(])/(work|home|tmp|usr/local)/|\.\./shared")
        for name in sorted(os.listdir(HERE)):
            if name.endswith((".py", ".csv", ".md")):
                with open(os.path.join(HERE, name), encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        self.assertIsNone(outside.search(line), "%s:%d: %s" % (name, number,
                                                                               line))

    def test_the_reader_skips_the_comment(self):
        bars = figure3.load_paper()
        self.assertTrue(comment_lines(figure3.PAPER_CSV), "the file has no comment to skip")
        self.assertEqual([(b.paper_input, b.acc) for b in bars],
                         [(i, a) for i in INPUTS for a in ACCUMULATORS])
        for b in bars:
            self.assertGreater(b.paper["total"], 0, b.label)

    def test_the_reference_is_one(self):
        relative = figure3.relative(figure3.load_paper(), "paper")
        self.assertEqual(relative[0], 1.0)  # INT8 -> FX+12 against itself
        self.assertTrue(all(r > 0 for r in relative))

    def test_comments_anywhere_are_skipped(self):
        text = ("# a comment, with, commas\n"
                "paper_input,format,accumulator,mpy,alignadd,normalize,total\n"
                "# between the header and a row\n"
                "INT8,int8,fx+12,1,2,3,6\n"
                "#FP8-E4,e4m3fnuz,fp16,9,9,9,27\n")
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "figure.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            bars = figure3.load_paper(path)
        self.assertEqual([(b.format, b.acc, b.paper["total"]) for b in bars],
                         [("int8", "fx+12", 6.0)])


if __name__ == "__main__":
    unittest.main()
