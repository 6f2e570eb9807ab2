"""JUnit XML: one test case per rule and subject, so CI test tabs show what failed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from checks.core.engine import Report
from checks.core.findings import Finding, Severity
from checks.reporters.text import one_line


def _line(f: Finding) -> str:
    where = f"{f.path}:{f.line}:{f.column}" if f.line else f.path
    # One finding per line of the failure text: a line break in the data must not start another.
    return f"{one_line(where)}: {f.severity.value} {f.code}: {one_line(f.message)}"


def format_report(report: Report) -> str:
    by_rule: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in report.findings:
        by_rule[f.code][f.subject or f.path].append(f)
    root = ET.Element("testsuites", name="gates")
    suites: dict[str, ET.Element] = {}
    totals = {"tests": 0, "failures": 0}
    for rule in report.rules:
        suite = suites.get(rule.family)
        if suite is None:
            suite = ET.SubElement(root, "testsuite", name=f"gates.{rule.family}")
            suites[rule.family] = suite
        subjects = by_rule.get(rule.code) or {"": []}
        for subject, findings in sorted(subjects.items()):
            name = f"{rule.code} {rule.slug}" + (f" [{one_line(subject)}]" if subject else "")
            case = ET.SubElement(suite, "testcase", name=name, classname=f"gates.{rule.family}.{rule.slug}", time="0")
            errors = [f for f in findings if f.severity is Severity.ERROR]
            if findings and findings[0].line:
                case.set("file", findings[0].path)
                case.set("line", str(findings[0].line))
            if errors:
                failure = ET.SubElement(case, "failure", message=one_line(errors[0].message), type=rule.code)
                failure.text = "\n".join(_line(f) for f in errors)
            others = [f for f in findings if f.severity is not Severity.ERROR]
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
    for suite in suites.values():
        cases = suite.findall("testcase")
        failures = sum(1 for c in cases if c.find("failure") is not None)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", "0")
        totals["tests"] += len(cases)
        totals["failures"] += failures
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
