#!/usr/bin/env python3
"""Prints each failed test of the .trx files under a folder: its name, message and the head of its stack."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(folder: str) -> None:
    for trx in sorted(pathlib.Path(folder).rglob("*.trx")):
        for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") != "Failed":
                continue
            message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=NS).strip()
            stack = result.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=NS).strip().splitlines()
            print(f"--- FAILED {result.get('testName')}")
            for line in message.splitlines()[:15]:
                print(f"    {line}")
            for line in stack[:6]:
                print(f"    {line.strip()}")


if __name__ == "__main__":
    main(sys.argv[1])
