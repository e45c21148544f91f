# Import by zone ID and record ID.
terraform import cloudflaredns_record.www 023e105f4ecef8ad9ca31a8372d0c353/372e67954025e0ba6aaa6d586b9e0b59
