"""The consolidated report to the Ministry (Decree 30/2020 DOCX with an XLSX
annex) and the reminder letters to late agencies."""
