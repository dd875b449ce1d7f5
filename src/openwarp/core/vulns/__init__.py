"""Vulnerability data and the exposure matcher, free of Django.

Readers (`cve5`, `nvd`, `feeds`, `inventory`) turn files into value objects
(`model`); `versions`, `cpe` and `vers` compare names and versions; `matcher`
decides affected / not affected / needs review per inventory row and
`priority` ranks the warnings. The hub's exposure app and the offline
`openwarp exposure match` command both sit on top of this package.
"""
